import Foundation

/// The named synthetic studies the phantom can render. Raw values are the CLI spellings.
public enum PerfusionScenario: String, CaseIterable, Sendable, Codable {
    case healthy
    case strokeLeft = "stroke-left"
    case strokeRight = "stroke-right"
    case largeCore = "large-core"
    case smallCore = "small-core"
    case pvt = "pvt"
    case motion = "motion"
    case variableSampling = "variable-sampling"
}

/// What to render: scenario, acquisition geometry, sampling, noise and seed.
/// Geometry is described in `PhantomGeometry`; `PhantomModel.init` validates every field.
public struct PhantomSpec: Sendable {
    public var scenario: PerfusionScenario = .strokeLeft
    /// Square in-plane matrix: 64, 128, 256 or 512.
    public var matrix: Int = 256
    /// Number of contiguous slices.
    public var slices: Int = 20
    /// Slice thickness = slice spacing along the table (z), mm.
    public var sliceThicknessMM: Double = 5
    /// In-plane field of view, mm (pixel spacing = fieldOfViewMM / matrix).
    public var fieldOfViewMM: Double = 230
    /// Number of time points.
    public var frames: Int = 30
    /// Uniform sampling interval, s. `variableSampling` uses 0.75x this for the first half of the
    /// frames and 1.5x after (1.5 s then 3 s for the default 2 s).
    public var intervalS: Double = 2.0
    /// SD of the Gaussian noise added to every voxel of every frame, HU.
    public var noiseHU: Double = 8
    /// Seed of all random numbers (noise only; the anatomy is fixed).
    public var seed: UInt64 = 1
    /// Gantry tilt, degrees: the image column direction is (0, cos θ, sin θ) in LPS.
    public var gantryTiltDegrees: Double = 0

    public init() {}
}

/// A spec the phantom cannot render; `description` says what to change.
public struct PhantomError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

extension PhantomSpec {
    /// Throws a `PhantomError` naming the first invalid field and the accepted range.
    func validate() throws {
        guard [64, 128, 256, 512].contains(matrix) else {
            throw PhantomError("matrix must be 64, 128, 256 or 512 (got \(matrix))")
        }
        guard (1...320).contains(slices) else {
            throw PhantomError("slices must be between 1 and 320 (got \(slices))")
        }
        guard sliceThicknessMM.isFinite, sliceThicknessMM >= 0.5, sliceThicknessMM <= 20 else {
            throw PhantomError("slice thickness must be between 0.5 and 20 mm (got \(sliceThicknessMM))")
        }
        guard fieldOfViewMM.isFinite, fieldOfViewMM >= 200, fieldOfViewMM <= 500 else {
            throw PhantomError("field of view must be between 200 and 500 mm so the whole head fits (got \(fieldOfViewMM))")
        }
        guard (2...1000).contains(frames) else {
            throw PhantomError("frames must be between 2 and 1000 (got \(frames))")
        }
        guard intervalS.isFinite, intervalS >= 0.1, intervalS <= 60 else {
            throw PhantomError("interval must be between 0.1 and 60 s (got \(intervalS))")
        }
        guard noiseHU.isFinite, noiseHU >= 0, noiseHU <= 500 else {
            throw PhantomError("noise must be between 0 and 500 HU (got \(noiseHU))")
        }
        guard gantryTiltDegrees.isFinite, abs(gantryTiltDegrees) <= 30 else {
            throw PhantomError("gantry tilt must be between -30 and 30 degrees (got \(gantryTiltDegrees))")
        }
    }
}
