import Foundation
import Imaging

/// Where a frame's acquisition time came from (DESIGN.md section 4 precedence).
public enum FrameTimeSource: String, Sendable, Codable {
    case frameAcquisitionDateTime = "FrameAcquisitionDateTime"
    case acquisitionDateTime = "AcquisitionDateTime"
    case acquisitionDateAndTime = "AcquisitionDate+AcquisitionTime"
    case contentDateAndTime = "ContentDate+ContentTime"
}

/// What ctperf needs of one frame: geometry and timing.
public struct FrameHeader: Sendable {
    public var frameIndex: Int                 // 0-based frame within the instance
    public var positionLPS: Vector3            // ImagePositionPatient, mm
    public var orientation: [Double]           // ImageOrientationPatient (row xyz, column xyz), LPS
    public var pixelSpacing: [Double]          // (row spacing, column spacing), mm
    public var time: Double                    // s since 1970 on the scanner's clock
    public var timeSource: FrameTimeSource
    public var rescaleSlope: Double
    public var rescaleIntercept: Double
    public var original: Bool                  // ImageType/FrameType value 1 is ORIGINAL
}

/// One patient/study attribute that derived results must copy.
public struct CopiedAttribute: Sendable, Codable, Equatable {
    public var tag: Tag
    public var keyword: String
    public var value: String
    public init(tag: Tag, keyword: String, value: String) { self.tag = tag; self.keyword = keyword; self.value = value }
}

/// The header of one DICOM instance: identity, grouping keys, geometry and timing of its frames.
public struct InstanceHeader: Sendable {
    public var path: String
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    public var frameOfReferenceUID: String?
    public var modality: String
    public var imageType: [String]
    public var seriesNumber: Int?
    public var instanceNumber: Int?
    public var seriesDescription: String?
    public var manufacturer: String?
    public var transferSyntaxUID: String
    public var rows: Int
    public var columns: Int
    public var numberOfFrames: Int
    public var sliceThicknessMM: Double?
    public var gantryTiltDegrees: Double?
    public var convolutionKernel: String?
    public var isImage: Bool
    /// Frames with complete geometry and timing (CT images only; empty for other objects).
    public var frames: [FrameHeader]
    /// Patient and study attributes results must copy (PatientName ... StudyDescription).
    public var copied: [CopiedAttribute]

    public var isCT: Bool { SOPClass.isCT(sopClassUID) }
    public var isMultiFrame: Bool { sopClassUID == SOPClass.enhancedCTImage || numberOfFrames > 1 }
}

/// The patient/study attributes copied into every derived object (DESIGN.md section 6).
let copiedAttributeTags: [(Tag, String)] = [
    (Tags.specificCharacterSet, "SpecificCharacterSet"),
    (Tags.patientName, "PatientName"), (Tags.patientID, "PatientID"),
    (Tags.issuerOfPatientID, "IssuerOfPatientID"), (Tags.patientBirthDate, "PatientBirthDate"),
    (Tags.patientSex, "PatientSex"), (Tags.patientAge, "PatientAge"),
    (Tags.studyInstanceUID, "StudyInstanceUID"), (Tags.studyDate, "StudyDate"), (Tags.studyTime, "StudyTime"),
    (Tags.studyID, "StudyID"), (Tags.accessionNumber, "AccessionNumber"),
    (Tags.referringPhysicianName, "ReferringPhysicianName"), (Tags.studyDescription, "StudyDescription"),
    (Tags.frameOfReferenceUID, "FrameOfReferenceUID"), (Tags.positionReferenceIndicator, "PositionReferenceIndicator"),
    (Tags.manufacturer, "Manufacturer"), (Tags.institutionName, "InstitutionName"),
]
