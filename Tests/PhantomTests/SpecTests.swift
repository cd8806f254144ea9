import Foundation
import Testing
@testable import Phantom

@Suite struct SpecTests {
    static let invalid: [(String, @Sendable (inout PhantomSpec) -> Void, String)] = [
        ("matrix", { $0.matrix = 300 }, "matrix must be 64, 128, 256 or 512 (got 300)"),
        ("slices", { $0.slices = 0 }, "slices must be between 1 and 320 (got 0)"),
        ("thickness", { $0.sliceThicknessMM = -5 }, "slice thickness must be between 0.5 and 20 mm (got -5.0)"),
        ("fov", { $0.fieldOfViewMM = 120 }, "field of view must be between 200 and 500 mm so the whole head fits (got 120.0)"),
        ("frames", { $0.frames = 1 }, "frames must be between 2 and 1000 (got 1)"),
        ("interval", { $0.intervalS = .nan }, "interval must be between 0.1 and 60 s (got nan)"),
        ("noise", { $0.noiseHU = -1 }, "noise must be between 0 and 500 HU (got -1.0)"),
        ("tilt", { $0.gantryTiltDegrees = 45 }, "gantry tilt must be between -30 and 30 degrees (got 45.0)"),
    ]

    @Test(arguments: invalid.indices)
    func invalidSpecThrowsAClearMessage(index: Int) {
        let (_, change, message) = Self.invalid[index]
        var spec = Fixtures.spec(.healthy)
        change(&spec)
        #expect(throws: PhantomError(message)) { try PhantomModel(spec: spec) }
    }

    @Test func defaultsAreTheDocumentedStudy() {
        let s = PhantomSpec()
        #expect(s.scenario == .strokeLeft && s.matrix == 256 && s.slices == 20 && s.sliceThicknessMM == 5)
        #expect(s.fieldOfViewMM == 230 && s.frames == 30 && s.intervalS == 2 && s.noiseHU == 8 && s.seed == 1)
        #expect(s.gantryTiltDegrees == 0)
    }

    @Test func scenarioRawValuesAreTheCLISpellings() {
        #expect(PerfusionScenario.allCases.map(\.rawValue) ==
                ["healthy", "stroke-left", "stroke-right", "large-core", "small-core", "pvt", "motion", "variable-sampling"])
    }
}
