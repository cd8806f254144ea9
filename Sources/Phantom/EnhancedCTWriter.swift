import DICOM
import Foundation
import Imaging

/// Writes the dynamic acquisition as one Enhanced CT Image Storage object (PS3.3 A.38): every
/// frame's position and acquisition time in the per-frame functional groups, the rest shared.
struct EnhancedCTWriter {
    let plan: DynamicPlan

    func write(dicomDir: String) throws -> Int {
        let model = plan.model
        let grid = model.grid
        let nt = plan.nt, nz = plan.nz
        let perSlice = grid.voxelsPerSlice
        let frames: [[Int16]] = parallelMap(nt, threads: defaultThreadCount()) { PixelEncoding.clampHU(model.renderFrame($0)) }
        var words: [UInt16] = []
        words.reserveCapacity(perSlice * nz * nt)
        for t in 0..<nt { words += plan.encoding.encode(frames[t][0..<(perSlice * nz)]) }

        let b = try DatasetBuilder()
        let ds = b.root
        let identity = plan.identity
        let context = SeriesContext(identity: identity, seriesInstanceUID: plan.seriesUIDs[0], seriesNumber: 3,
                                    seriesDescription: "CT PERFUSION HEAD 5mm (enhanced)",
                                    manufacturerModel: "enhanced-like export", seriesTime: identity.startTime)
        try context.putCommon(ds, sopClassUID: SOPClass.enhancedCTImage, sopInstanceUID: identity.uid("enhanced"))
        let firstTime = plan.time(t: 0, k: 0)
        let (date, tm) = DicomDateTime.dicomDateAndTime(firstTime)
        try ds.put(Tags.imageType, "ORIGINAL\\PRIMARY\\AXIAL\\NONE")
        try ds.put(Tags.acquisitionNumber, "1")
        try ds.put(Tags.acquisitionDateTime, date + tm)
        try ds.put(Tags.contentDate, date)
        try ds.put(Tags.contentTime, tm)
        try ds.put(Tags.instanceNumber, "1")
        try ds.put(Tag(0x0018, 0x9073), formatDS(model.frameTimes.last! + 1))   // AcquisitionDuration, s
        try ds.put(Tag(0x0018, 0x9004), "PRODUCT")                               // ContentQualification
        try ds.put(Tags.pixelPresentation, "MONOCHROME")
        try ds.put(Tags.volumetricProperties, "VOLUME")
        try ds.put(Tags.volumeBasedCalculationTechnique, "NONE")
        try ds.put(Tag(0x2050, 0x0020), "IDENTITY")                              // PresentationLUTShape
        try ds.put(Tags.lossyImageCompression, "00")
        try ds.put(Tag(0x0028, 0x0301), "NO")                                    // BurnedInAnnotation
        try ds.put(Tag(0x0028, 0x0302), "NO")                                    // RecognizableVisualFeatures
        try ds.put(Tag(0x0018, 0x1000), "0001")                                  // DeviceSerialNumber
        try ds.put(Tag(0x0018, 0x1020), "ctperf-phantom")                        // SoftwareVersions
        try ds.putEmptySequence(Tag(0x0040, 0x0555))                             // AcquisitionContextSequence
        try ds.put(Tags.kvp, "80")
        try ds.put(Tags.numberOfFrames, String(nt * nz))
        try ds.put(Tags.samplesPerPixel, "1")
        try ds.put(Tags.photometricInterpretation, "MONOCHROME2")
        try ds.put(Tags.rows, String(grid.ny))
        try ds.put(Tags.columns, String(grid.nx))
        try ds.put(Tags.bitsAllocated, "16")
        try ds.put(Tags.bitsStored, String(plan.encoding.bitsStored))
        try ds.put(Tags.highBit, String(plan.encoding.bitsStored - 1))
        try ds.put(Tags.pixelRepresentation, plan.encoding.signed ? "1" : "0")

        // Multi-frame Dimension: stack, position in the stack, temporal position (the order
        // Philips uses and dcm2niix expects; frames are stored time point by time point).
        let dimensionUID = identity.uid("dimension-organization")
        try ds.appendItem(Tags.dimensionOrganizationSequence).put(Tags.dimensionOrganizationUID, dimensionUID)
        try ds.put(Tag(0x0020, 0x9311), "3D_TEMPORAL")                           // DimensionOrganizationType
        for pointer in [Tags.stackID, Tags.inStackPositionNumber, Tags.temporalPositionIndex] {
            let d = try ds.appendItem(Tags.dimensionIndexSequence)
            try d.put(Tags.dimensionOrganizationUID, dimensionUID)
            try d.put(Tags.dimensionIndexPointer, String(format: "(%04X,%04X)", pointer.group, pointer.element))
            try d.put(Tags.functionalGroupPointer, String(format: "(%04X,%04X)", Tags.frameContentSequence.group, Tags.frameContentSequence.element))
        }

        // Shared functional groups.
        let shared = try ds.appendItem(Tags.sharedFunctionalGroupsSequence)
        let measures = try shared.appendItem(Tags.pixelMeasuresSequence)
        try measures.put(Tags.pixelSpacing, decimals: [grid.spacingMM.y, grid.spacingMM.x])
        try measures.put(Tags.sliceThickness, decimals: [model.spec.sliceThicknessMM])
        let a = grid.affineLPS
        try shared.appendItem(Tags.planeOrientationSequence)
            .put(Tags.imageOrientationPatient, decimals: a.columnI.normalized.array + a.columnJ.normalized.array)
        let voi = try shared.appendItem(Tags.frameVOILUTSequence)
        try voi.put(Tags.windowCenter, "40")
        try voi.put(Tags.windowWidth, "80")
        let pvt = try shared.appendItem(Tags.pixelValueTransformationSequence)
        try pvt.put(Tags.rescaleIntercept, decimals: [plan.encoding.intercept])
        try pvt.put(Tags.rescaleSlope, "1")
        try pvt.put(Tags.rescaleType, "HU")
        let frameType = try shared.appendItem(Tags.ctImageFrameTypeSequence)
        try frameType.put(Tags.frameType, "ORIGINAL\\PRIMARY\\AXIAL\\NONE")
        try frameType.put(Tags.pixelPresentation, "MONOCHROME")
        try frameType.put(Tags.volumetricProperties, "VOLUME")
        try frameType.put(Tags.volumeBasedCalculationTechnique, "NONE")
        let acqType = try shared.appendItem(Tag(0x0018, 0x9301))                 // CT Acquisition Type
        try acqType.put(Tag(0x0018, 0x9302), "STATIONARY")                       // AcquisitionType
        try acqType.put(Tag(0x0018, 0x9333), "NO")                               // ConstantVolumeFlag
        try acqType.put(Tag(0x0018, 0x9334), "YES")                              // FluoroscopyFlag
        let details = try shared.appendItem(Tag(0x0018, 0x9304))                 // CT Acquisition Details
        try details.put(Tag(0x0018, 0x0090), formatDS(model.spec.fieldOfViewMM)) // DataCollectionDiameter
        try details.put(Tags.gantryDetectorTilt, decimals: [model.spec.gantryTiltDegrees])
        try details.put(Tag(0x0018, 0x1130), "150")                              // TableHeight
        try details.put(Tag(0x0018, 0x1140), "CW")                               // RotationDirection
        try details.put(Tag(0x0018, 0x9305), "1")                                // RevolutionTime
        try details.put(Tag(0x0018, 0x9306), "1.2")                              // SingleCollimationWidth
        try details.put(Tag(0x0018, 0x9307), formatDS(model.spec.sliceThicknessMM * Double(nz))) // TotalCollimationWidth
        let geometry = try shared.appendItem(Tag(0x0018, 0x9312))                // CT Geometry
        try geometry.put(Tag(0x0018, 0x1110), "1040")                            // DistanceSourceToDetector
        try geometry.put(Tag(0x0018, 0x9335), "570")                             // DistanceSourceToDataCollectionCenter
        let recon = try shared.appendItem(Tag(0x0018, 0x9314))                   // CT Reconstruction
        try recon.put(Tag(0x0018, 0x9315), "FILTER_BACK_PROJ")                   // ReconstructionAlgorithm
        try recon.put(Tags.convolutionKernel, "H20s")
        try recon.put(Tag(0x0018, 0x9316), "BRAIN")                              // ConvolutionKernelGroup
        try recon.put(Tag(0x0018, 0x1100), formatDS(model.spec.fieldOfViewMM))   // ReconstructionDiameter
        try recon.put(Tag(0x0018, 0x9322), "\(formatDS(grid.spacingMM.y))\\\(formatDS(grid.spacingMM.x))") // ReconstructionPixelSpacing
        try recon.put(Tag(0x0018, 0x9319), "360")                                // ReconstructionAngle
        try recon.put(Tag(0x0018, 0x9320), "NONE")                               // ImageFilter
        let exposure = try shared.appendItem(Tag(0x0018, 0x9321))                // CT Exposure
        try exposure.put(Tag(0x0018, 0x9328), "1000")                            // ExposureTimeInms
        try exposure.put(Tag(0x0018, 0x9330), "150")                             // XRayTubeCurrentInmA
        try exposure.put(Tag(0x0018, 0x9332), "150")                             // ExposureInmAs
        try exposure.put(Tag(0x0018, 0x9323), "NO")                              // ExposureModulationType? (defined terms)
        try exposure.put(Tag(0x0018, 0x9345), "100")                             // CTDIvol
        let tableDynamics = try shared.appendItem(Tag(0x0018, 0x9308))           // CT Table Dynamics
        try tableDynamics.put(Tag(0x0018, 0x9309), "0")                          // TableSpeed
        try tableDynamics.put(Tag(0x0018, 0x9310), "0")                          // TableFeedPerRotation
        try tableDynamics.put(Tag(0x0018, 0x9311), "0")                          // SpiralPitchFactor
        let anatomy = try shared.appendItem(Tag(0x0020, 0x9071))                 // Frame Anatomy
        try anatomy.put(Tag(0x0020, 0x9072), "U")                                // FrameLaterality
        let region = try anatomy.appendItem(Tag(0x0008, 0x2218))                 // AnatomicRegionSequence
        try region.put(Tag(0x0008, 0x0100), "69536005")                          // CodeValue
        try region.put(Tag(0x0008, 0x0102), "SCT")                               // CodingSchemeDesignator
        try region.put(Tag(0x0008, 0x0104), "Head")                              // CodeMeaning
        try shared.appendItem(Tag(0x0018, 0x9477))                               // Irradiation Event Identification
            .put(Tag(0x0008, 0x3010), identity.uid("irradiation-event"))         // IrradiationEventUID
        let xray = try shared.appendItem(Tag(0x0018, 0x9325))                    // CT X-Ray Details
        try xray.put(Tags.kvp, "80")
        try xray.put(Tag(0x0018, 0x1190), "0.7")                                 // FocalSpots
        try xray.put(Tag(0x0018, 0x1160), "WEDGE")                               // FilterType
        try xray.put(Tag(0x0018, 0x7050), "ALUMINUM")                            // FilterMaterial

        // Per-frame functional groups: frame t*nz + k.
        for t in 0..<nt {
            for k in 0..<nz {
                let item = try ds.appendItem(Tags.perFrameFunctionalGroupsSequence)
                let content = try item.appendItem(Tags.frameContentSequence)
                let (d, tmk) = DicomDateTime.dicomDateAndTime(plan.time(t: t, k: k))
                try content.put(Tag(0x0020, 0x9156), String(t + 1))               // FrameAcquisitionNumber
                try content.put(Tags.frameReferenceDateTime, d + tmk)
                try content.put(Tags.frameAcquisitionDateTime, d + tmk)
                try content.put(Tags.frameAcquisitionDuration, "1000")           // ms
                try content.put(Tags.temporalPositionIndex, String(t + 1))
                try content.put(Tags.stackID, "1")
                try content.put(Tags.inStackPositionNumber, String(k + 1))
                try content.put(Tags.dimensionIndexValues, "1\\\(k + 1)\\\(t + 1)")
                try item.appendItem(Tags.planePositionSequence)
                    .put(Tags.imagePositionPatient, decimals: grid.positionLPS(i: 0, j: 0, k: Double(k)).array)
                let position = try item.appendItem(Tag(0x0018, 0x9326))          // CT Position
                let centre = grid.positionLPS(i: Double(grid.nx - 1) / 2, j: Double(grid.ny - 1) / 2, k: Double(k))
                try position.put(Tag(0x0018, 0x9327), formatDS(centre.z))                   // TablePosition
                try position.put(Tag(0x0018, 0x9313), decimals: centre.array)               // DataCollectionCenterPatient
                try position.put(Tag(0x0018, 0x9318), decimals: centre.array)               // ReconstructionTargetCenterPatient
            }
        }
        try ds.putPixels16(words)
        let path = (dicomDir as NSString).appendingPathComponent(plan.relativePath(t: 0, k: 0))
        try b.save(path: path, transferSyntaxUID: plan.request.transferSyntax.uid)
        return 1
    }
}
