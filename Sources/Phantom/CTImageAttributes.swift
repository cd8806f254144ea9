import DICOM
import Foundation
import Imaging

/// The modules every phantom image shares: SOP common, patient, study, series, frame of
/// reference, equipment (PS3.3 A.3 CT Image IOD).
struct SeriesContext: Sendable {
    var identity: StudyIdentity
    var seriesInstanceUID: String
    var seriesNumber: Int
    var seriesDescription: String
    var modality: String = "CT"
    var manufacturerModel: String
    var seriesTime: Double          // s since 1970

    func putCommon(_ ds: DatasetItem, sopClassUID: String, sopInstanceUID: String) throws {
        let (studyDate, studyTime) = DicomDateTime.dicomDateAndTime(identity.startTime)
        let (seriesDate, seriesTimeText) = DicomDateTime.dicomDateAndTime(seriesTime)
        try ds.put(Tags.specificCharacterSet, "ISO_IR 100")
        try ds.put(Tags.sopClassUID, sopClassUID)
        try ds.put(Tags.sopInstanceUID, sopInstanceUID)
        try ds.put(Tags.instanceCreationDate, seriesDate)
        try ds.put(Tags.instanceCreationTime, seriesTimeText)
        try ds.put(Tags.studyDate, studyDate)
        try ds.put(Tags.studyTime, studyTime)
        try ds.put(Tags.seriesDate, seriesDate)
        try ds.put(Tags.seriesTime, seriesTimeText)
        try ds.put(Tags.accessionNumber, "CTP\(identity.seed % 100000)")
        try ds.put(Tags.modality, modality)
        try ds.put(Tags.manufacturer, "ctperf phantom")
        try ds.put(Tags.institutionName, "ctperf synthetic data")
        try ds.put(Tags.referringPhysicianName, "")
        try ds.put(Tags.stationName, "PHANTOM")
        try ds.put(Tags.studyDescription, "CT PERFUSION HEAD (synthetic)")
        try ds.put(Tags.seriesDescription, seriesDescription)
        try ds.put(Tags.manufacturerModelName, manufacturerModel)
        try ds.put(Tags.patientName, identity.patientName)
        try ds.put(Tags.patientID, identity.patientID)
        try ds.put(Tags.patientBirthDate, "19580704")
        try ds.put(Tags.patientSex, "O")
        try ds.put(Tags.patientAge, "067Y")
        try ds.put(Tags.bodyPartExamined, "HEAD")
        try ds.put(Tags.patientPosition, "HFS")
        try ds.put(Tags.studyInstanceUID, identity.studyInstanceUID)
        try ds.put(Tags.seriesInstanceUID, seriesInstanceUID)
        try ds.put(Tags.studyID, "1")
        try ds.put(Tags.seriesNumber, String(seriesNumber))
        try ds.put(Tags.frameOfReferenceUID, identity.frameOfReferenceUID)
        try ds.put(Tags.positionReferenceIndicator, "")
    }
}

/// One single-frame image (CT Image Storage, or MR Image Storage for the MR negative case).
struct SliceImage {
    var sopInstanceUID: String
    var instanceNumber: Int
    var acquisitionNumber: Int
    var positionLPS: Vector3
    var orientation: [Double]
    var pixelSpacingMM: Double
    var sliceThicknessMM: Double
    var gantryTiltDegrees: Double
    var time: Double                  // s since 1970 (scanner clock)
    var timeStyle: TimeStyle
    var temporalPosition: (index: Int, count: Int)?
    var imageType: String = "ORIGINAL\\PRIMARY\\AXIAL"
    var kvp: Int = 80
    var kernel: String = "H20s"
    /// Attributes deliberately left out (corrupt-input test files).
    var omitted: Set<Omission> = []

    enum Omission: Sendable { case position, time, pixels }

    /// How the acquisition time is written (vendors differ; ctperf must read them all).
    enum TimeStyle {
        case dateAndTime           // AcquisitionDate + AcquisitionTime (per-image date)
        case timeWithStudyDate     // AcquisitionDate fixed at the study date (wraps at midnight)
        case dateTime              // AcquisitionDateTime (plus date/time)
    }

    func write(context: SeriesContext, encoding: PixelEncoding, rows: Int, columns: Int,
               hu: ArraySlice<Int16>, sopClassUID: String = SOPClass.ctImage,
               path: String, transferSyntaxUID: String) throws {
        let b = try build(context: context, encoding: encoding, rows: rows, columns: columns, hu: hu, sopClassUID: sopClassUID)
        try b.save(path: path, transferSyntaxUID: transferSyntaxUID)
    }

    /// The dataset, ready to save.
    func build(context: SeriesContext, encoding: PixelEncoding, rows: Int, columns: Int,
               hu: ArraySlice<Int16>, sopClassUID: String = SOPClass.ctImage) throws -> DatasetBuilder {
        let b = try DatasetBuilder()
        let ds = b.root
        try context.putCommon(ds, sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID)
        let (date, tm) = DicomDateTime.dicomDateAndTime(time)
        let studyDate = DicomDateTime.dicomDateAndTime(context.identity.startTime).date
        try ds.put(Tags.imageType, imageType)
        if !omitted.contains(.time) {
        switch timeStyle {
        case .dateAndTime:
            try ds.put(Tags.acquisitionDate, date)
        case .timeWithStudyDate:
            try ds.put(Tags.acquisitionDate, studyDate)
        case .dateTime:
            try ds.put(Tags.acquisitionDate, date)
            try ds.put(Tags.acquisitionDateTime, date + tm)
        }
        try ds.put(Tags.acquisitionTime, tm)
        try ds.put(Tags.contentDate, timeStyle == .timeWithStudyDate ? studyDate : date)
        try ds.put(Tags.contentTime, tm)
        }
        try ds.put(Tags.instanceNumber, String(instanceNumber))
        try ds.put(Tags.acquisitionNumber, String(acquisitionNumber))
        if let tp = temporalPosition {
            try ds.put(Tags.temporalPositionIdentifier, String(tp.index))
            try ds.put(Tags.numberOfTemporalPositions, String(tp.count))
        }
        if !omitted.contains(.position) {
            try ds.put(Tags.imagePositionPatient, decimals: positionLPS.array)
        }
        try ds.put(Tags.imageOrientationPatient, decimals: orientation)
        try ds.put(Tags.sliceLocation, decimals: [positionLPS.z])
        try ds.put(Tags.sliceThickness, decimals: [sliceThicknessMM])
        try ds.put(Tags.pixelSpacing, decimals: [pixelSpacingMM, pixelSpacingMM])
        if context.modality == "CT" {
            try ds.put(Tags.kvp, String(kvp))
            try ds.put(Tags.gantryDetectorTilt, decimals: [gantryTiltDegrees])
            try ds.put(Tags.convolutionKernel, kernel)
            try ds.put(Tags.rescaleIntercept, decimals: [encoding.intercept])
            try ds.put(Tags.rescaleSlope, "1")
            try ds.put(Tags.rescaleType, "HU")
            try ds.put(Tags.windowCenter, "40")
            try ds.put(Tags.windowWidth, "80")
        } else {
            try ds.put(Tags.repetitionTime, "1500")
            try ds.put(Tags.echoTime, "30")
            try ds.put(Tag(0x0018, 0x0020), "EP")        // ScanningSequence
            try ds.put(Tag(0x0018, 0x0021), "NONE")      // SequenceVariant
            try ds.put(Tag(0x0018, 0x0022), "")          // ScanOptions
            try ds.put(Tag(0x0018, 0x0023), "2D")        // MRAcquisitionType
            try ds.put(Tag(0x0018, 0x0091), "1")         // EchoTrainLength
        }
        try ds.put(Tags.samplesPerPixel, "1")
        try ds.put(Tags.photometricInterpretation, "MONOCHROME2")
        try ds.put(Tags.rows, String(rows))
        try ds.put(Tags.columns, String(columns))
        try ds.put(Tags.bitsAllocated, "16")
        try ds.put(Tags.bitsStored, String(encoding.bitsStored))
        try ds.put(Tags.highBit, String(encoding.bitsStored - 1))
        try ds.put(Tags.pixelRepresentation, encoding.signed ? "1" : "0")
        if !omitted.contains(.pixels) { try ds.putPixels16(encoding.encode(hu)) }
        return b
    }
}
