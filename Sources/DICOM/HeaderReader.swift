import Foundation
import Imaging

extension InstanceHeader {
    /// Read the header of the file at `path` (pixel data is not decoded).
    /// Throws a DICOMError whose message is the reason the file is skipped.
    public static func read(path: String) throws -> InstanceHeader {
        let file = try DicomFile(path: path)
        return try read(file: file)
    }

    static func read(file: DicomFile) throws -> InstanceHeader {
        // A DICOMDIR carries directory records (0004,1220) and the first-record offset (0004,1200).
        if file.itemCount(Tags.directoryRecordSequence) > 0 || file.string(Tags.firstDirectoryRecordOffset) != nil {
            throw DICOMError(.unsupported, "DICOMDIR (a media directory index), not an image")
        }
        // Missing identifying attributes usually mean a header cut short (DCMTK keeps the
        // elements read before the end of a truncated file) or a non-conformant writer.
        let hint = " (file truncated or not written by a conformant DICOM application?)"
        guard let sopClass = file.string(Tags.sopClassUID) else {
            throw DICOMError(.missingAttribute, "no SOPClassUID (0008,0016)" + hint)
        }
        guard let sop = file.string(Tags.sopInstanceUID) else {
            throw DICOMError(.missingAttribute, "no SOPInstanceUID (0008,0018)" + hint)
        }
        for (name, uid) in [("SOPInstanceUID", sop), ("SOPClassUID", sopClass)] where !UID.isValid(uid) {
            throw DICOMError(.inconsistent, "invalid \(name) '\(uid)' (a UID is digits and dots, at most 64 characters)")
        }
        guard let study = file.string(Tags.studyInstanceUID), UID.isValid(study) else {
            throw DICOMError(.missingAttribute, "no valid StudyInstanceUID (0020,000D)" + hint)
        }
        guard let series = file.string(Tags.seriesInstanceUID), UID.isValid(series) else {
            throw DICOMError(.missingAttribute, "no valid SeriesInstanceUID (0020,000E)" + hint)
        }
        let ts = file.transferSyntaxUID
        let rows = file.int(Tags.rows) ?? 0
        let columns = file.int(Tags.columns) ?? 0
        let isImage = rows > 0 && columns > 0
        let frames = max(1, file.int(Tags.numberOfFrames) ?? 1)

        var header = InstanceHeader(
            path: file.path, sopClassUID: sopClass, sopInstanceUID: sop, studyInstanceUID: study,
            seriesInstanceUID: series, frameOfReferenceUID: file.string(Tags.frameOfReferenceUID),
            modality: file.string(Tags.modality) ?? "", imageType: file.strings(Tags.imageType).map { $0.uppercased() },
            seriesNumber: file.int(Tags.seriesNumber), instanceNumber: file.int(Tags.instanceNumber),
            seriesDescription: file.string(Tags.seriesDescription), manufacturer: file.string(Tags.manufacturer),
            transferSyntaxUID: ts, rows: rows, columns: columns, numberOfFrames: frames,
            sliceThicknessMM: file.double(Tags.sliceThickness), gantryTiltDegrees: file.double(Tags.gantryDetectorTilt),
            convolutionKernel: file.string(Tags.convolutionKernel), isImage: isImage, frames: [], copied: [])
        header.copied = copiedAttributeTags.compactMap { tag, keyword in
            file.string(tag).map { CopiedAttribute(tag: tag, keyword: keyword, value: $0) }
        }

        if isImage || SOPClass.isCT(sopClass) {
            guard file.hasPixelData else {
                throw DICOMError(.missingAttribute, "image without Pixel Data (7FE0,0010)")
            }
            guard TransferSyntax.isDecodable(ts) else {
                throw DICOMError(.unsupported, "unsupported transfer syntax \(TransferSyntax.name(ts)) (\(ts)): ctperf has no decoder for it; send Explicit/Implicit VR Little Endian, JPEG Lossless, JPEG-LS or RLE")
            }
        }
        guard SOPClass.isCT(sopClass) else { return header }

        guard isImage else { throw DICOMError(.missingAttribute, "CT image without Rows/Columns (0028,0010/0011)") }
        let bits = file.int(Tags.bitsAllocated) ?? 0
        guard bits == 16 else {
            throw DICOMError(.unsupported, "BitsAllocated \(bits): ctperf reads 16-bit CT images")
        }
        if let spp = file.int(Tags.samplesPerPixel), spp != 1 {
            throw DICOMError(.unsupported, "SamplesPerPixel \(spp): CT images are monochrome")
        }
        header.frames = try sopClass == SOPClass.enhancedCTImage
            ? readEnhancedFrames(file, count: frames)
            : [readSingleFrame(file)]
        return header
    }

    // MARK: - single-frame CT

    private static func readSingleFrame(_ f: DicomFile) throws -> FrameHeader {
        guard let ipp = f.doubles(Tags.imagePositionPatient), ipp.count == 3 else {
            throw DICOMError(.missingAttribute, "no ImagePositionPatient (0020,0032): slice position unknown")
        }
        guard let iop = f.doubles(Tags.imageOrientationPatient), iop.count == 6 else {
            throw DICOMError(.missingAttribute, "no ImageOrientationPatient (0020,0037): slice orientation unknown")
        }
        guard let ps = f.doubles(Tags.pixelSpacing), ps.count == 2, ps[0] > 0, ps[1] > 0 else {
            throw DICOMError(.missingAttribute, "no valid PixelSpacing (0028,0030)")
        }
        guard let (time, source) = frameTime(f, frameDateTime: nil) else {
            throw DICOMError(.missingAttribute, "no acquisition time: none of AcquisitionDateTime (0008,002A), AcquisitionTime (0008,0032) or ContentTime (0008,0033)")
        }
        return FrameHeader(frameIndex: 0, positionLPS: Vector3(ipp), orientation: iop, pixelSpacing: ps,
                           time: time, timeSource: source,
                           rescaleSlope: f.double(Tags.rescaleSlope) ?? 1, rescaleIntercept: f.double(Tags.rescaleIntercept) ?? 0,
                           original: (f.strings(Tags.imageType).first?.uppercased() ?? "ORIGINAL") == "ORIGINAL")
    }

    /// Time of a frame by DESIGN.md section 4 precedence. When the image has no date of its own
    /// the series or study date is used (midnight wraps are undone by the grouper).
    private static func frameTime(_ f: DicomFile, frameDateTime: String?) -> (Double, FrameTimeSource)? {
        if let dt = frameDateTime, let s = DicomDateTime.seconds(dateTime: dt) {
            return (s, .frameAcquisitionDateTime)
        }
        if let dt = f.string(Tags.acquisitionDateTime), let s = DicomDateTime.seconds(dateTime: dt) {
            return (s, .acquisitionDateTime)
        }
        let fallbackDay = (f.string(Tags.seriesDate) ?? f.string(Tags.studyDate)).flatMap { DicomDateTime.days(date: $0) }
        if let tm = f.string(Tags.acquisitionTime), let tod = DicomDateTime.secondsOfDay(time: tm) {
            if let d = f.string(Tags.acquisitionDate).flatMap({ DicomDateTime.days(date: $0) }) {
                return (Double(d) * 86400 + tod, .acquisitionDateAndTime)
            }
            return (Double(fallbackDay ?? 0) * 86400 + tod, .acquisitionDateAndTime)
        }
        if let tm = f.string(Tags.contentTime), let tod = DicomDateTime.secondsOfDay(time: tm) {
            if let d = f.string(Tags.contentDate).flatMap({ DicomDateTime.days(date: $0) }) {
                return (Double(d) * 86400 + tod, .contentDateAndTime)
            }
            return (Double(fallbackDay ?? 0) * 86400 + tod, .contentDateAndTime)
        }
        return nil
    }

    // MARK: - Enhanced CT (per-frame and shared functional groups)

    private static func readEnhancedFrames(_ f: DicomFile, count: Int) throws -> [FrameHeader] {
        let perFrameCount = f.itemCount(Tags.perFrameFunctionalGroupsSequence)
        guard perFrameCount == count else {
            throw DICOMError(.inconsistent, "Enhanced CT: \(perFrameCount) per-frame functional group items for NumberOfFrames \(count)")
        }
        let shared: [(Tag, Int)] = [(Tags.sharedFunctionalGroupsSequence, 0)]
        // A functional group macro is looked up per frame first, then in the shared groups.
        func value(_ frame: Int, _ macro: Tag, _ tag: Tag) -> [Double]? {
            let perFrame: [(Tag, Int)] = [(Tags.perFrameFunctionalGroupsSequence, frame)]
            return f.doubles(tag, in: perFrame + [(macro, 0)]) ?? f.doubles(tag, in: shared + [(macro, 0)])
        }
        func text(_ frame: Int, _ macro: Tag, _ tag: Tag) -> String? {
            let perFrame: [(Tag, Int)] = [(Tags.perFrameFunctionalGroupsSequence, frame)]
            return f.string(tag, in: perFrame + [(macro, 0)]) ?? f.string(tag, in: shared + [(macro, 0)])
        }
        var frames: [FrameHeader] = []
        frames.reserveCapacity(count)
        for i in 0..<count {
            guard let ipp = value(i, Tags.planePositionSequence, Tags.imagePositionPatient), ipp.count == 3 else {
                throw DICOMError(.missingAttribute, "Enhanced CT frame \(i + 1): no Plane Position (ImagePositionPatient)")
            }
            guard let iop = value(i, Tags.planeOrientationSequence, Tags.imageOrientationPatient), iop.count == 6 else {
                throw DICOMError(.missingAttribute, "Enhanced CT frame \(i + 1): no Plane Orientation (ImageOrientationPatient)")
            }
            guard let ps = value(i, Tags.pixelMeasuresSequence, Tags.pixelSpacing), ps.count == 2, ps[0] > 0, ps[1] > 0 else {
                throw DICOMError(.missingAttribute, "Enhanced CT frame \(i + 1): no Pixel Measures (PixelSpacing)")
            }
            let frameDT = text(i, Tags.frameContentSequence, Tags.frameAcquisitionDateTime)
                ?? text(i, Tags.frameContentSequence, Tags.frameReferenceDateTime)
            guard let (time, source) = frameTime(f, frameDateTime: frameDT) else {
                throw DICOMError(.missingAttribute, "Enhanced CT frame \(i + 1): no FrameAcquisitionDateTime (0018,9074) and no AcquisitionDateTime")
            }
            let frameType = text(i, Tags.ctImageFrameTypeSequence, Tags.frameType)?
                .split(separator: "\\").first.map { $0.uppercased() } ?? "ORIGINAL"
            frames.append(FrameHeader(
                frameIndex: i, positionLPS: Vector3(ipp), orientation: iop, pixelSpacing: ps,
                time: time, timeSource: source,
                rescaleSlope: value(i, Tags.pixelValueTransformationSequence, Tags.rescaleSlope)?.first ?? f.double(Tags.rescaleSlope) ?? 1,
                rescaleIntercept: value(i, Tags.pixelValueTransformationSequence, Tags.rescaleIntercept)?.first ?? f.double(Tags.rescaleIntercept) ?? 0,
                original: frameType == "ORIGINAL"))
        }
        return frames
    }
}
