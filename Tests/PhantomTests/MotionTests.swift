import Foundation
import Imaging
import Testing
@testable import Phantom

@Suite struct MotionTests {
    static let motion = Fixtures.model(.motion, noiseHU: 0)

    @Test func displacementIsReportedAndBelow3MM() {
        let d = Self.motion.truth.metrics.motionMaxDisplacementMM
        #expect(d > 1 && d <= 3)
        #expect(Fixtures.strokeLeft.truth.metrics.motionMaxDisplacementMM == 0)
    }

    @Test func truthIsInFrameZerosPoseAndRestFramesMatchTheStillStudy() {
        let m = Self.motion, still = Fixtures.noiseless
        #expect(Fixtures.difference(m.truth.labels, still.truth.labels) == nil)
        #expect(Fixtures.difference(m.truth.tmax.values, still.truth.tmax.values) == nil)
        #expect(Fixtures.difference(m.renderFrame(0), still.renderFrame(0)) == nil)
        #expect(Fixtures.difference(m.renderFrame(5), still.renderFrame(5)) == nil)
    }

    /// Displaced frames show the head moved by the schedule: the skull's centroid follows the
    /// jerk translation (the rotation is about the head origin, near the centroid).
    @Test func displacedFramesMoveTheHead() throws {
        let m = Self.motion
        let jerk = Int((0.4 * 30.0).rounded())
        func skullCentroid(_ frame: [Int16]) -> Vector3 {
            var sum = Vector3.zero, count = 0.0
            let g = m.grid
            for k in 0..<g.nz { for j in 0..<g.ny { for i in 0..<g.nx where frame[g.index(i, j, k)] > 900 {
                sum = sum + g.positionLPS(i: Double(i), j: Double(j), k: Double(k)); count += 1
            } } }
            return sum / count
        }
        let rest = skullCentroid(m.renderFrame(jerk - 1)), moved = skullCentroid(m.renderFrame(jerk))
        let shift = moved - rest
        #expect(abs(shift.x - MotionSchedule.jerkMM.dx) < 0.5 && abs(shift.y - MotionSchedule.jerkMM.dy) < 0.5)
        #expect(abs(shift.z) < 0.5)   // in-plane motion; only the sampling of the skull changes
        #expect(Fixtures.difference(m.renderFrame(jerk + 3), m.renderFrame(jerk + 2)) != nil)
    }
}
