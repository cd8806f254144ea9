import Foundation
import Imaging
import Testing
@testable import Phantom

@Suite struct RenderTests {
    @Test func sameSpecGivesIdenticalFramesInAnyOrder() throws {
        let a = try PhantomModel(spec: Fixtures.spec(.strokeLeft, slices: 6))
        let b = try PhantomModel(spec: Fixtures.spec(.strokeLeft, slices: 6))
        let a3 = a.renderFrame(3), a1 = a.renderFrame(1)
        #expect(Fixtures.difference(b.renderFrame(1), a1) == nil)
        #expect(Fixtures.difference(b.renderFrame(3), a3) == nil)
        #expect(Fixtures.difference(a.renderFrame(3), a3) == nil)
        #expect(Fixtures.difference(a1, a3) != nil)
    }

    @Test func concurrentRenderingMatchesSerial() async throws {
        let m = try PhantomModel(spec: Fixtures.spec(.strokeLeft, slices: 6))
        let serial = (0..<6).map { m.renderFrame($0) }
        let parallel = await withTaskGroup(of: (Int, [Int16]).self) { group in
            for t in 0..<6 { group.addTask { (t, m.renderFrame(t)) } }
            var result = [[Int16]](repeating: [], count: 6)
            for await (t, frame) in group { result[t] = frame }
            return result
        }
        #expect(Fixtures.difference(parallel, serial) == nil)
    }

    @Test func differentSeedChangesOnlyTheNoise() throws {
        let a = try PhantomModel(spec: Fixtures.spec(.strokeLeft, slices: 6, seed: 1))
        let b = try PhantomModel(spec: Fixtures.spec(.strokeLeft, slices: 6, seed: 2))
        #expect(Fixtures.difference(a.renderFrame(0), b.renderFrame(0)) != nil)
        #expect(Fixtures.difference(a.noiseFreeFrame(0), b.noiseFreeFrame(0)) == nil)
        #expect(a.truth.metrics == b.truth.metrics)
    }

    /// Air around the head is uniform (-1000 HU): its SD is the noise SD.
    @Test(arguments: [8.0, 20.0])
    func noiseSDInUniformAirMatchesTheSpec(noiseHU: Double) throws {
        let m = try PhantomModel(spec: Fixtures.spec(.healthy, slices: 4, noiseHU: noiseHU))
        let air = m.truth.labels.indices.filter { m.truth.labels[$0] == TissueLabel.air.rawValue }
        #expect(air.count > 4000)
        for t in [0, 12] {
            let frame = m.renderFrame(t)
            let values = air.map { Double(frame[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            #expect(abs(mean + 1000) < 1)
            #expect(abs(sd / noiseHU - 1) < 0.15, "SD \(sd) HU for noise \(noiseHU) HU")
        }
    }

    @Test func noiselessFrameIsTheRoundedModel() {
        let m = Fixtures.noiseless
        for t in [0, 8] {
            let expected = m.noiseFreeFrame(t).map { Int16(clamping: Int($0.rounded())) }
            #expect(Fixtures.difference(m.renderFrame(t), expected) == nil)
        }
    }

    /// Unenhanced attenuation of every tissue in frame 0 (before the bolus), noise 0.
    @Test func baselineAttenuationOfEachTissue() throws {
        let m = Fixtures.noiseless128
        let frame = m.renderFrame(0)
        let classes = Fixtures.classes(m)
        func values(_ pure: (VoxelClass) -> Bool) -> Set<Int16> {
            Set(classes.indices.filter { pure(classes[$0]) }.map { frame[$0] })
        }
        let plain = { (c: VoxelClass, mat: Material) in c.material == mat && c.vessel == .none }
        #expect(values { plain($0, .air) } == [-1000])
        #expect(values { plain($0, .csf) } == [5])
        #expect(values { plain($0, .greyMatter) } == [40])
        #expect(values { plain($0, .whiteMatter) } == [28])
        #expect(values { plain($0, .boneTable) || plain($0, .boneDiploe) }.allSatisfy { $0 >= 1000 && $0 <= 1500 })
        #expect(values { $0.vessel == .artery && $0.level == VesselSampler.levels } == [42])
    }

    /// Pure vessel voxels show the full AIF / VOF; brain voxels show their class's curve.
    @Test func enhancementFollowsThePhysics() throws {
        let m = Fixtures.noiseless128
        let classes = Fixtures.classes(m)
        let bolus = m.bolusModel
        let pureArtery = try #require(classes.firstIndex { $0.vessel == .artery && $0.level == VesselSampler.levels })
        let pureSinus = try #require(classes.firstIndex {
            $0.vessel == .superiorSagittalSinus && $0.level == VesselSampler.levels })
        // 5 mm slices cut the horizontal M1: clot voxels are partial; the most-filled one.
        let clot = try #require(classes.indices.filter { classes[$0].vessel == .clot }.max {
            classes[$0].level < classes[$1].level })
        let clotFraction = classes[clot].vesselFraction
        let clotTissue = try #require(TissuePerfusion.enhancement(classes[clot].material, classes[clot].region))
        #expect(clotFraction >= 0.5)
        let normalGM = try #require(classes.firstIndex { $0.material == .greyMatter && $0.vessel == .none && $0.region == .normal })
        let coreWM = try #require(classes.firstIndex { $0.material == .whiteMatter && $0.vessel == .none && $0.region == .core })
        for t in m.frameTimes.indices {
            let frame = m.noiseFreeFrame(t), time = m.frameTimes[t]
            #expect(abs(frame[pureArtery] - 42 - m.truth.aifDeltaHU[t]) < 1e-9)
            #expect(abs(frame[pureSinus] - 42 - m.truth.vofDeltaHU[t]) < 1e-9)
            // Only the tissue around the clot enhances; the clot stays at 55 HU.
            let tissueHU = classes[clot].material.baselineHU + bolus.tissueDeltaHU(clotTissue, atS: time)
            #expect(abs(frame[clot] - ((1 - clotFraction) * tissueHU + clotFraction * 55)) < 1e-9)
            #expect(abs(frame[normalGM] - 40 - bolus.tissueDeltaHU(TissuePerfusion.normalGreyMatter, atS: time)) < 1e-9)
            let core = try #require(TissuePerfusion.dynamics(.whiteMatter, .core))
            #expect(abs(frame[coreWM] - 28 - bolus.tissueDeltaHU(core, atS: time)) < 1e-9)
        }
        // A few baseline frames before the bolus arrives (7 s), and the AIF peak sampled near 350 HU.
        #expect(m.truth.aifDeltaHU.prefix(4).allSatisfy { $0 == 0 })
        #expect(try #require(m.truth.aifDeltaHU.max()) > 330)
        // The venous peak exceeds what partial-volume arterial voxels show.
        let partialArteries = classes.indices.filter { classes[$0].vessel == .artery && classes[$0].level < 14 }
        #expect(!partialArteries.isEmpty)
        let vofPeak = try #require(m.truth.vofDeltaHU.max())
        let peakFrame = m.noiseFreeFrame(7)
        #expect(partialArteries.allSatisfy { peakFrame[$0] - 42 < vofPeak })
    }

    @Test func staticRendersOnAnotherGrid() throws {
        let m = Fixtures.noiseless
        #expect(Fixtures.difference(m.renderStatic(grid: m.grid, contrast: .unenhanced), m.renderFrame(0)) == nil)
        // A thin-slice CTA grid covering the same head.
        let cta = PhantomGeometry.acquisitionGrid(matrix: 128, slices: 50, sliceThicknessMM: 2,
                                                  fieldOfViewMM: 230, gantryTiltDegrees: 0)
        let plain = m.renderStatic(grid: cta, contrast: .unenhanced)
        let enhanced = m.renderStatic(grid: cta, contrast: .arterialPeak)
        #expect(plain.count == cta.voxelCount && enhanced.count == cta.voxelCount)
        #expect(enhanced.max()! > 300)   // bone (1450) excluded below: look at soft-tissue voxels
        let arterial = enhanced.indices.filter { plain[$0] > 30 && plain[$0] < 60 && enhanced[$0] >= 42 + 300 }
        #expect(!arterial.isEmpty, "pure arterial voxels reach 42 + 350 HU at the arterial peak")
        // Brain tissue slightly enhanced at the arterial peak (on the dynamic grid, where classes are known).
        let classes = Fixtures.classes(m)
        let peak = m.renderStatic(grid: m.grid, contrast: .arterialPeak), base = m.renderFrame(0)
        let gain = classes.indices.filter { classes[$0].vessel == .none && classes[$0].material.label.isBrainTissue }
            .map { Int(peak[$0]) - Int(base[$0]) }
        #expect(!gain.isEmpty && gain.allSatisfy { $0 >= 0 && $0 < 20 }, "tissue slightly enhanced")
        #expect(gain.contains { $0 >= 3 })
        // Noise follows spec.noiseHU and the seed.
        let noisy = Fixtures.strokeLeft
        let a = noisy.renderStatic(grid: cta, contrast: .unenhanced)
        #expect(Fixtures.difference(a, noisy.renderStatic(grid: cta, contrast: .unenhanced)) == nil)
        #expect(Fixtures.difference(a, plain) != nil)
    }
}
