/// Writes ctperf's numbers as a TID 1500 Measurement Report (PS3.16) built with DCMTK's dcmsr/cmr,
/// stored as Enhanced SR (1.2.840.10008.5.1.4.1.1.88.22, PS3.3 A.35.2) in the source study, in a
/// new series.
///
/// Content tree: document title (CID 7021), language English (TID 1204), a device observer
/// (TID 1002/1004), Procedure Reported LN 39142-5 "CT perfusion head with contrast IV" (CID 100),
/// an Image Library (TID 1600) listing every source image, and under Imaging Measurements one
/// Measurement Group (TID 1501) per `MeasurementGroup`: tracking identifier and UID, finding,
/// finding site, numeric measurements (TID 300) with UCUM units, optional derivation (CID 7464)
/// and Equivalent Meaning of Concept Name, and coded qualitative evaluations.
/// Every source is listed in the Current Requested Procedure Evidence Sequence (PS3.3 C.17.2).
/// Concepts of the private scheme 99CTPERF are declared in the Coding Scheme Identification
/// Sequence (C.12.1). The document is COMPLETE and UNVERIFIED (a device wrote it; no person
/// has verified it).
public enum MeasurementReportWriter {
    /// Document title when none is given: DCM 126000 "Imaging Measurement Report" (CID 7021).
    public static let defaultTitle = CodedConcept("126000", "DCM", "Imaging Measurement Report")
    /// Procedure Reported (CID 100).
    public static let procedureReported = CodedConcept("39142-5", "LN", "CT perfusion head with contrast IV")

    /// A TID 1500 Measurement Report (Enhanced SR via DCMTK dcmsr/cmr) with the groups under
    /// Imaging Measurements, written atomically (temporary name, fsync, rename). `observer` is the
    /// name of the device observer (e.g. "ctperf"); its Device Observer UID is derived from that
    /// name, so one named device keeps one UID. Returns the new SOPInstanceUID. Throws
    /// DICOMError: .inconsistent / .missingAttribute for bad input (nothing is written),
    /// .writeFailed when DCMTK rejects the content or the file cannot be written (no file under `path`).
    @discardableResult
    public static func write(groups: [MeasurementGroup], title: CodedConcept?, series: DerivedSeries,
                             observer: String, instanceNumber: Int, to path: String) throws -> String {
        let title = title ?? defaultTitle
        try validate(groups: groups, title: title, series: series, observer: observer, instanceNumber: instanceNumber)
        let studyUID = series.studyInstanceUID!   // validate() made sure it is there and valid

        let document = try MeasurementReportDocument(title: title)
        try document.setDeviceObserver(uid: deviceObserverUID(observer), name: observer,
                                       manufacturer: DerivedSeries.manufacturer, modelName: DerivedSeries.manufacturer)
        try document.addProcedure(procedureReported)
        for group in groups {
            try document.addGroup(trackingIdentifier: group.trackingIdentifier, trackingUID: group.trackingUID,
                                  finding: group.finding, findingSite: group.findingSite)
            for m in group.measurements {
                try document.addMeasurement(concept: m.concept, value: formatDS(m.value), unit: m.unit,
                                            derivation: m.derivation, equivalentMeaning: m.description)
            }
            for q in group.qualitative { try document.addQualitative(q) }
        }
        for source in series.uniqueSources { try document.addEvidence(studyUID: studyUID, source) }
        if concepts(groups, title).contains(where: { $0.scheme == CtperfCodingScheme.designator }) {
            try document.addCodingScheme(designator: CtperfCodingScheme.designator, name: CtperfCodingScheme.name,
                                         responsibleOrganization: CtperfCodingScheme.responsibleOrganization)
        }

        let sopInstanceUID = UID.generate()
        let (date, time) = DicomDateTime.dicomDateAndTime(series.contentTime)
        for (tag, value) in series.attributesToCopy { try document.put(tag, value) }
        let own: [(Tag, String)] = [
            (Tags.sopInstanceUID, sopInstanceUID),                      // SOP Common (C.12.1)
            (Tags.instanceCreationDate, date), (Tags.instanceCreationTime, time),
            (Tags.seriesInstanceUID, series.seriesInstanceUID),         // SR Document Series (C.17.1)
            (Tags.seriesNumber, String(series.seriesNumber)),
            (Tags.seriesDate, date), (Tags.seriesTime, time),
            (Tags.seriesDescription, series.seriesDescription),
            (Tags.manufacturer, DerivedSeries.manufacturer),            // General Equipment (C.7.5.1)
            (Tags.manufacturerModelName, DerivedSeries.manufacturer),
            (Tags.softwareVersions, series.softwareVersion),
            (Tags.instanceNumber, String(instanceNumber)),              // SR Document General (C.17.2)
            (Tags.contentDate, date), (Tags.contentTime, time),
        ]
        for (tag, value) in own { try document.put(tag, value) }

        try writeDurably(to: path) { temp in try document.save(path: temp) }
        return sopInstanceUID
    }

    /// Every coded concept the report will carry (for scheme declarations and checks).
    static func concepts(_ groups: [MeasurementGroup], _ title: CodedConcept) -> [CodedConcept] {
        var out = [title, procedureReported]
        for g in groups {
            out.append(g.finding)
            if let site = g.findingSite { out.append(site) }
            for m in g.measurements {
                out.append(m.concept)
                out.append(m.unit)
                if let d = m.derivation { out.append(d) }
            }
            for q in g.qualitative { out += [q.concept, q.value] }
        }
        return out
    }

    /// Check the input before anything is built; throws a DICOMError naming the offending value.
    static func validate(groups: [MeasurementGroup], title: CodedConcept, series: DerivedSeries,
                         observer: String, instanceNumber: Int) throws {
        guard !groups.isEmpty else {
            throw DICOMError(.missingAttribute, "measurement report: no measurement groups (TID 1500 needs at least one under Imaging Measurements)")
        }
        guard (0...Int(Int32.max)).contains(instanceNumber) else {
            throw DICOMError(.inconsistent, "measurement report: InstanceNumber \(instanceNumber) is not a non-negative IS value")
        }
        guard !observer.isEmpty else { throw DICOMError(.missingAttribute, "measurement report: empty observer name") }
        var texts: [(String, String)] = [("observer", observer)]
        for (i, g) in groups.enumerated() {
            let label = "measurement group \(i + 1) ('\(g.trackingIdentifier)')"
            guard !g.trackingIdentifier.isEmpty else {
                throw DICOMError(.missingAttribute, "measurement group \(i + 1): empty tracking identifier")
            }
            try DerivedSeries.requireUID(g.trackingUID, "tracking UID of \(label)")
            guard !g.measurements.isEmpty || !g.qualitative.isEmpty else {
                throw DICOMError(.missingAttribute, "\(label): no measurements or qualitative evaluations")
            }
            texts.append(("tracking identifier of \(label)", g.trackingIdentifier))
            for m in g.measurements {
                guard m.value.isFinite else {
                    throw DICOMError(.inconsistent, "\(label): \(m.concept.meaning) = \(m.value) is not a finite number")
                }
                if let d = m.description { texts.append(("description of \(m.concept.meaning) in \(label)", d)) }
            }
        }
        let trackingUIDs = groups.map(\.trackingUID)
        if let dup = trackingUIDs.first(where: { uid in trackingUIDs.filter { $0 == uid }.count > 1 }) {
            throw DICOMError(.inconsistent, "measurement report: tracking UID '\(dup)' is used by more than one group")
        }
        for c in concepts(groups, title) {
            guard !c.value.isEmpty, !c.scheme.isEmpty, !c.meaning.isEmpty else {
                throw DICOMError(.missingAttribute, "measurement report: code (\(c.value), \(c.scheme), \"\(c.meaning)\") lacks a value, scheme or meaning")
            }
            // PS3.3 8.8: CodeValue and CodingSchemeDesignator are SH (16), CodeMeaning LO (64 characters).
            guard c.value.count <= 16, c.scheme.count <= 16, c.meaning.count <= 64 else {
                throw DICOMError(.inconsistent, "measurement report: code (\(c.value), \(c.scheme), \"\(c.meaning)\") is too long (value and scheme at most 16 characters, meaning at most 64)")
            }
            if c.isPrivateScheme && c.scheme != CtperfCodingScheme.designator {
                throw DICOMError(.inconsistent, "measurement report: code (\(c.value), \(c.scheme), \"\(c.meaning)\") uses private scheme \(c.scheme); ctperf declares only \(CtperfCodingScheme.designator)")
            }
            texts.append(("code meaning of \(c.value) (\(c.scheme))", c.meaning))
        }
        try series.validate(texts: texts)
    }

    /// Device Observer UID (TID 1004) for a named device: a UID under 2.25 from a 128-bit hash
    /// of the name, stable across reports and runs.
    static func deviceObserverUID(_ observer: String) -> String {
        let bytes = Array("ctperf device observer:\(observer)".utf8)
        func fnv1a64(_ basis: UInt64) -> UInt64 {
            var h = basis
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        }
        let hi = fnv1a64(0xCBF2_9CE4_8422_2325), lo = fnv1a64(0x84222325CBF29CE4)
        var out: [UInt8] = []
        for word in [hi, lo] { for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) } }
        return UID.derived(from: out)
    }
}
