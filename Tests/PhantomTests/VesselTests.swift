import Foundation
import Testing
@testable import Phantom

@Suite struct VesselTests {
    static func pureCount(_ m: PhantomModel, _ kind: VesselKind) -> Int {
        Fixtures.classes(m).filter { $0.vessel == kind && $0.level == VesselSampler.levels }.count
    }

    /// At 1.8 mm pixels some voxels lie wholly inside a vessel (4x more at 256); others are partial.
    @Test func vesselsHavePureAndPartialVoxels() {
        let m = Fixtures.noiseless128
        #expect(Self.pureCount(m, .artery) >= 4)
        #expect(Self.pureCount(m, .superiorSagittalSinus) >= 40)
        #expect(Self.pureCount(m, .torcula) >= 10)
        let partial = Fixtures.classes(m).filter { $0.vessel == .artery && $0.level < VesselSampler.levels }.count
        #expect(partial > Self.pureCount(m, .artery))
    }

    /// The occluded M1 (clot) and the late-filling M2 branches are on the lesion side only.
    @Test(arguments: [PerfusionScenario.strokeLeft, .strokeRight, .healthy])
    func occlusionIsOnTheLesionSide(scenario: PerfusionScenario) {
        let m = [.strokeLeft: Fixtures.strokeLeft, .strokeRight: Fixtures.strokeRight][scenario] ?? Fixtures.healthy
        let classes = Fixtures.classes(m)
        let clot = classes.indices.filter { classes[$0].vessel == .clot }
        let collateral = classes.indices.filter { classes[$0].vessel == .collateralArtery }
        let sign = m.truth.lesionSide.map { $0 == .left ? 1.0 : -1.0 }
        guard let sign else {
            #expect(clot.isEmpty && collateral.isEmpty)
            return
        }
        #expect(!clot.isEmpty && !collateral.isEmpty)
        #expect((clot + collateral).allSatisfy { Fixtures.signedDistanceMM(m, $0) * sign > 20 })
        let clotFill = clot.map { classes[$0].vesselFraction }.max() ?? 0
        #expect(clotFill >= 0.25, "the thrombus fills a good part of some voxels")
        // The other side's MCA is patent.
        #expect(classes.indices.contains { classes[$0].vessel == .artery && Fixtures.signedDistanceMM(m, $0) * sign < -30 })
    }
}
