/// Writes ctperf's result pages and colour maps as Secondary Capture Image Storage
/// (1.2.840.10008.5.1.4.1.1.7, PS3.3 A.8.1) in the source study, in a new series.
///
/// The image is RGB, 8 bits, PlanarConfiguration 0 (R G B interleaved per pixel, PS3.3 C.7.6.3),
/// ImageType DERIVED\SECONDARY, ConversionType WSD (workstation, C.8.6.1), BurnedInAnnotation YES
/// (the page carries text), BodyPartExamined HEAD (which also settles Laterality, a type 2C
/// attribute of the General Series module). Modality is CT: PS3.3 C.7.3.1.1.1 defines it as the
/// type of equipment that originally acquired the data the series was created from, which for
/// ctperf (CT perfusion only) is CT; it also keeps the study's modality list and CT worklist
/// filters unchanged. dciodvfy accepts CT and OT alike on SC images.
/// Every input image is referenced in the Source Image Sequence (C.7.6.1, purpose of reference
/// DCM 121322 "Source image for image processing operation", CID 7202) and, by series, in the
/// Referenced Series Sequence of the Common Instance Reference module (C.12.2).
public enum SecondaryCaptureWriter {
    /// Modality (0008,0060) of ctperf's Secondary Capture images: that of the source acquisition.
    public static let modality = "CT"

    /// One RGB image (rows*columns*3 bytes, row-major, R G B) as SC Image Storage in the source
    /// study, a new series. Written atomically (temporary name, fsync, rename). Returns the new
    /// SOPInstanceUID. Throws DICOMError: .inconsistent / .missingAttribute for bad input (nothing
    /// is written), .writeFailed when the file cannot be written (no file under `path`).
    @discardableResult
    public static func write(rgb: [UInt8], rows: Int, columns: Int, instanceNumber: Int, series: DerivedSeries,
                             imageComments: String?, to path: String) throws -> String {
        guard (1...65535).contains(rows), (1...65535).contains(columns) else {
            throw DICOMError(.inconsistent, "secondary capture: \(rows) x \(columns) is not an image size (1...65535 each)")
        }
        guard rgb.count == rows * columns * 3 else {
            throw DICOMError(.inconsistent, "secondary capture: \(rgb.count) bytes for \(rows) x \(columns) RGB (expected \(rows * columns * 3))")
        }
        guard (0...Int(Int32.max)).contains(instanceNumber) else {
            throw DICOMError(.inconsistent, "secondary capture: InstanceNumber \(instanceNumber) is not a non-negative IS value")
        }
        let derivation = derivationDescription(series)
        try series.validate(texts: [("image comments", imageComments ?? ""), ("derivation description", derivation)])

        let sopInstanceUID = UID.generate()
        let builder = try DatasetBuilder()
        let root = builder.root
        for (tag, value) in series.attributesToCopy { try root.put(tag, value) }

        let (date, time) = DicomDateTime.dicomDateAndTime(series.contentTime)
        // SOP Common (C.12.1)
        try root.put(Tags.sopClassUID, SOPClass.secondaryCapture)
        try root.put(Tags.sopInstanceUID, sopInstanceUID)
        try root.put(Tags.instanceCreationDate, date)
        try root.put(Tags.instanceCreationTime, time)
        // General Series (C.7.3.1)
        try root.put(Tags.modality, modality)
        try root.put(Tags.seriesInstanceUID, series.seriesInstanceUID)
        try root.put(Tags.seriesNumber, String(series.seriesNumber))
        try root.put(Tags.seriesDate, date)
        try root.put(Tags.seriesTime, time)
        try root.put(Tags.seriesDescription, series.seriesDescription)
        try root.put(Tags.bodyPartExamined, "HEAD")
        // General Equipment (C.7.5.1) and SC Equipment (C.8.6.1)
        try root.put(Tags.manufacturer, DerivedSeries.manufacturer)
        try root.put(Tags.manufacturerModelName, DerivedSeries.manufacturer)
        try root.put(Tags.softwareVersions, series.softwareVersion)
        try root.put(Tags.conversionType, "WSD")
        try root.put(Tags.secondaryCaptureDeviceManufacturer, DerivedSeries.manufacturer)
        try root.put(Tags.secondaryCaptureDeviceManufacturerModelName, DerivedSeries.manufacturer)
        try root.put(Tags.secondaryCaptureDeviceSoftwareVersions, series.softwareVersion)
        // General Image (C.7.6.1) and SC Image (C.8.6.2)
        try root.put(Tags.instanceNumber, String(instanceNumber))
        try root.put(Tags.patientOrientation, "")
        try root.put(Tags.contentDate, date)
        try root.put(Tags.contentTime, time)
        try root.put(Tags.imageType, ["DERIVED", "SECONDARY"])
        try root.put(Tags.derivationDescription, derivation)
        try root.put(Tags.burnedInAnnotation, "YES")
        try root.put(Tags.lossyImageCompression, "00")
        if let imageComments, !imageComments.isEmpty { try root.put(Tags.imageComments, imageComments) }
        try root.put(Tags.dateOfSecondaryCapture, date)
        try root.put(Tags.timeOfSecondaryCapture, time)
        try putSourceImages(series.uniqueSources, in: root)
        try putReferencedSeries(series.uniqueSources, in: root)
        // Image Pixel (C.7.6.3)
        try root.put(Tags.samplesPerPixel, "3")
        try root.put(Tags.photometricInterpretation, "RGB")
        try root.put(Tags.planarConfiguration, "0")
        try root.put(Tags.rows, String(rows))
        try root.put(Tags.columns, String(columns))
        try root.put(Tags.bitsAllocated, "8")
        try root.put(Tags.bitsStored, "8")
        try root.put(Tags.highBit, "7")
        try root.put(Tags.pixelRepresentation, "0")
        try root.putPixels8(rgb)

        try writeDurably(to: path) { temp in
            try builder.save(path: temp, transferSyntaxUID: TransferSyntax.explicitLittle)
        }
        return sopInstanceUID
    }

    /// DerivationDescription (0008,2111): what the pixels are and where they came from.
    static func derivationDescription(_ series: DerivedSeries) -> String {
        let n = series.uniqueSources.count
        return "Rendered by \(series.softwareVersion) from CT perfusion analysis of \(n) source image\(n == 1 ? "" : "s"); research use, not for diagnosis"
    }

    /// Source Image Sequence (0008,2112): every input, with its purpose of reference.
    static func putSourceImages(_ sources: [SourceInstance], in root: DatasetItem) throws {
        for source in sources {
            let item = try root.appendItem(Tags.sourceImageSequence)
            try item.put(Tags.referencedSOPClassUID, source.sopClassUID)
            try item.put(Tags.referencedSOPInstanceUID, source.sopInstanceUID)
            let purpose = try item.appendItem(Tags.purposeOfReferenceCodeSequence)
            try purpose.put(Tags.codeValue, "121322")
            try purpose.put(Tags.codingSchemeDesignator, "DCM")
            try purpose.put(Tags.codeMeaning, "Source image for image processing operation")
        }
    }

    /// Referenced Series Sequence (0008,1115) of the Common Instance Reference module (C.12.2):
    /// the inputs grouped by series, for instances referenced outside this series.
    static func putReferencedSeries(_ sources: [SourceInstance], in root: DatasetItem) throws {
        var order: [String] = []
        var bySeries: [String: [SourceInstance]] = [:]
        for s in sources {
            if bySeries[s.seriesInstanceUID] == nil { order.append(s.seriesInstanceUID) }
            bySeries[s.seriesInstanceUID, default: []].append(s)
        }
        for uid in order {
            let seriesItem = try root.appendItem(Tags.referencedSeriesSequence)
            try seriesItem.put(Tags.seriesInstanceUID, uid)
            for s in bySeries[uid]! {
                let instance = try seriesItem.appendItem(Tags.referencedInstanceSequence)
                try instance.put(Tags.referencedSOPClassUID, s.sopClassUID)
                try instance.put(Tags.referencedSOPInstanceUID, s.sopInstanceUID)
            }
        }
    }
}
