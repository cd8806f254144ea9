import Foundation
import Imaging

/// Thresholds of DESIGN.md section 4 (configurable).
public struct GroupingOptions: Sendable, Codable, Equatable {
    /// A perfusion acquisition has at least this many time points ...
    public var minTimePoints: Int = 10
    /// ... spanning at least this many seconds.
    public var minDurationS: Double = 30
    /// Single-time-point series (Canon-like exports) are chained into one acquisition when
    /// consecutive time points are at most this far apart.
    public var seriesMergeMaxGapS: Double = 30
    /// Slice positions closer than this along the normal are the same position, mm.
    public var positionToleranceMM: Double = 0.05
    public init() {}
}

/// How the acquisition's instances are organised.
public enum AcquisitionLayout: String, Sendable, Codable {
    case singleSeries = "single-series"                  // Siemens/GE/Philips: positions repeat in one series
    case seriesPerTimePoint = "series-per-time-point"    // Canon: one series per time point
    case multiFrame = "multi-frame"                      // one Enhanced CT object
    case other                                           // non-CT or non-image objects
}

/// One frame of one instance (index into the scan's instances).
public struct FrameRef: Sendable, Hashable {
    public var instance: Int
    public var frame: Int
}

/// A group of frames that belong together, with the decisions DESIGN.md section 4 asks for.
public struct Acquisition: Sendable {
    public var studyInstanceUID: String
    public var seriesInstanceUIDs: [String]
    public var frameOfReferenceUID: String?
    public var modality: String
    public var sopClassUIDs: [String]
    public var layout: AcquisitionLayout
    /// Indices into the scan's instances.
    public var instanceIndices: [Int]
    public var rows: Int
    public var columns: Int
    public var pixelSpacingMM: [Double]?          // (row spacing, column spacing)
    public var sliceThicknessMM: Double?
    public var orientation: [Double]?             // row and column direction cosines, LPS
    /// Slice positions along the slice normal, ascending, mm.
    public var slicePositionsMM: [Double] = []
    /// Per slice position, its frames sorted by time.
    public var framesBySlice: [[FrameRef]] = []
    /// Effective (midnight-unwrapped) time of every frame, s since 1970 on the scanner clock.
    public var frameTimes: [FrameRef: Double] = [:]
    /// Time of each time point (median over slices), s since 1970 on the scanner clock.
    public var timePointTimes: [Double] = []
    /// Largest spread of slice times within one time point, s.
    public var timePointSpreadS: Double = 0
    public var timeSources: [FrameTimeSource] = []
    public var crossesMidnight = false
    public var perfusion = false
    public var notPerfusionReasons: [String] = []
    public var complete = false
    public var missing: [String] = []
    public var warnings: [String] = []

    public var timePointCount: Int { timePointTimes.count }
    public var sliceCount: Int { slicePositionsMM.count }
    public var frameCount: Int { framesBySlice.reduce(0) { $0 + $1.count } }
    public var isCT: Bool { sopClassUIDs.allSatisfy(SOPClass.isCT) && !sopClassUIDs.isEmpty }
    /// Perfusion and complete: what analysis needs.
    public var analysable: Bool { perfusion && complete }

    /// Frame at time point t and slice k (valid when complete).
    public func frame(t: Int, k: Int) -> FrameRef { framesBySlice[k][t] }

    /// Unit normal of the image plane (row x column), LPS.
    public var sliceNormalLPS: Vector3? {
        guard let o = orientation else { return nil }
        return Vector3(o[0], o[1], o[2]).cross(Vector3(o[3], o[4], o[5])).normalized
    }
}
