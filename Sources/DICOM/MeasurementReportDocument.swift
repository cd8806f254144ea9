import CDCMTK

/// Swift face of the shim's TID 1500 builder (cdcm_report): one call per shim entry point, each
/// status turned into a thrown DICOMError(.writeFailed) carrying the shim's message.
/// Not shared between threads (a report is built and saved by one writer call).
final class MeasurementReportDocument {
    private let handle: OpaquePointer

    /// A new report with the document title (CID 7021), language English and an Image Library.
    init(title: CodedConcept) throws {
        DicomFile.initializeCodecs()
        var out: OpaquePointer?
        try call { err, len in withCode(title) { cdcm_report_new($0, &out, err, len) } }
        guard let out else { throw DICOMError(.writeFailed, "measurement report: no document allocated") }
        handle = out
    }

    deinit { cdcm_report_free(handle) }

    /// Observer Context (TID 1002) with a device observer (TID 1004).
    func setDeviceObserver(uid: String, name: String, manufacturer: String, modelName: String) throws {
        try call { cdcm_report_set_device_observer(handle, uid, name, manufacturer, modelName, $0, $1) }
    }

    /// Procedure Reported (TID 1500 row 4, CID 100).
    func addProcedure(_ procedure: CodedConcept) throws {
        try call { err, len in withCode(procedure) { cdcm_report_add_procedure(handle, $0, err, len) } }
    }

    /// A new Measurement Group (TID 1501); the following measurements and evaluations go into it.
    func addGroup(trackingIdentifier: String, trackingUID: String, finding: CodedConcept, findingSite: CodedConcept?) throws {
        try call { err, len in
            withCode(finding) { f in
                withCode(findingSite) { site in
                    cdcm_report_add_group(handle, trackingIdentifier, trackingUID, f, site, err, len)
                }
            }
        }
    }

    /// A numeric measurement (TID 300) with its value already formatted as DS.
    func addMeasurement(concept: CodedConcept, value: String, unit: CodedConcept, derivation: CodedConcept?,
                        equivalentMeaning: String?) throws {
        try call { err, len in
            withCode(concept) { c in
                withCode(unit) { u in
                    withCode(derivation) { d in
                        cdcm_report_add_measurement(handle, c, value, u, d, equivalentMeaning, err, len)
                    }
                }
            }
        }
    }

    /// A coded qualitative evaluation (TID 1501 row 12).
    func addQualitative(_ evaluation: QualitativeEvaluation) throws {
        try call { err, len in
            withCode(evaluation.concept) { c in
                withCode(evaluation.value) { v in cdcm_report_add_qualitative(handle, c, v, err, len) }
            }
        }
    }

    /// A source image: Current Requested Procedure Evidence and an Image Library entry.
    func addEvidence(studyUID: String, _ source: SourceInstance) throws {
        try call {
            cdcm_report_add_evidence(handle, studyUID, source.seriesInstanceUID, source.sopClassUID,
                                     source.sopInstanceUID, $0, $1)
        }
    }

    /// A Coding Scheme Identification Sequence item (0008,0110).
    func addCodingScheme(designator: String, name: String, responsibleOrganization: String) throws {
        try call { cdcm_report_add_coding_scheme(handle, designator, name, responsibleOrganization, $0, $1) }
    }

    /// A top-level attribute written over DCMTK's when saving.
    func put(_ tag: Tag, _ value: String) throws {
        try call { cdcm_report_put_string(handle, tag.rawValue, value, $0, $1) }
    }

    /// Render the Enhanced SR document and save it as a Part 10 file.
    func save(path: String) throws {
        try call { cdcm_report_save(handle, path, $0, $1) }
    }

}

/// Call a shim function that reports errors through (err, errlen).
private func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
    var err = [CChar](repeating: 0, count: 1024)
    let status = err.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    guard Int(status) == CDCM_OK else { throw DICOMError(.writeFailed, "measurement report: " + cString(err)) }
}

/// Calls `body` with a cdcm_code pointing at the concept's strings (nil for no concept).
private func withCode<R>(_ concept: CodedConcept?, _ body: (UnsafePointer<cdcm_code>?) -> R) -> R {
    guard let concept else { return body(nil) }
    return concept.value.withCString { v in
        concept.scheme.withCString { s in
            concept.meaning.withCString { m in
                var code = cdcm_code(value: v, scheme: s, meaning: m)
                return withUnsafePointer(to: &code) { body($0) }
            }
        }
    }
}
