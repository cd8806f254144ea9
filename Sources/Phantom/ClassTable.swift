import Foundation

/// A voxel's content, encoded in one UInt16: a background (material and perfusion region)
/// plus the dominant vessel kind at a fill level (partial volume, 0...VesselSampler.levels).
/// Every voxel of a class renders identically, so curves are computed per class, not per voxel.
struct VoxelClass: Sendable, Equatable {
    var material: Material
    var region: PerfusionRegion
    var vessel: VesselKind
    var level: Int

    static let levelCount = VesselSampler.levels + 1
    static let kindCount = VesselKind.allCases.count
    static let regionCount = PerfusionRegion.allCases.count
    static let count = Material.allCases.count * regionCount * kindCount * levelCount

    var index: UInt16 {
        UInt16(((material.rawValue * Self.regionCount + Int(region.rawValue)) * Self.kindCount + vessel.rawValue)
               * Self.levelCount + level)
    }

    init(material: Material, region: PerfusionRegion, vessel: VesselKind, level: Int) {
        self.material = material; self.region = region; self.vessel = vessel; self.level = level
    }

    init(index: UInt16) {
        var n = Int(index)
        level = n % Self.levelCount; n /= Self.levelCount
        vessel = VesselKind(rawValue: n % Self.kindCount)!; n /= Self.kindCount
        region = PerfusionRegion(rawValue: UInt8(n % Self.regionCount))!; n /= Self.regionCount
        material = Material(rawValue: n)!
    }

    /// Fraction of the voxel filled by the vessel.
    var vesselFraction: Double { Double(level) / Double(VesselSampler.levels) }

    /// Truth label: the vessel's when it fills at least half the voxel, else the material's.
    var label: TissueLabel {
        vessel != .none && 2 * level >= VesselSampler.levels ? vessel.label : material.label
    }
}

/// Noise-free HU of every voxel class at a list of times: values[t * VoxelClass.count + class].
struct ClassTable: Sendable {
    let times: [Double]
    let valuesHU: [Double]

    init(bolus: BolusModel, times: [Double]) {
        self.times = times
        let materials = Material.allCases, regions = PerfusionRegion.allCases, kinds = VesselKind.allCases
        var values = [Double](repeating: 0, count: times.count * VoxelClass.count)
        for (ti, t) in times.enumerated() {
            let vesselHU = kinds.map { $0.baselineHU + bolus.vesselDeltaHU($0, atS: t) }
            for m in materials {
                for r in regions {
                    let tissueHU = m.baselineHU
                        + (TissuePerfusion.enhancement(m, r).map { bolus.tissueDeltaHU($0, atS: t) } ?? 0)
                    for k in kinds {
                        for level in 0..<VoxelClass.levelCount {
                            let c = VoxelClass(material: m, region: r, vessel: k, level: level)
                            let f = k == .none ? 0 : c.vesselFraction
                            values[ti * VoxelClass.count + Int(c.index)] = (1 - f) * tissueHU + f * vesselHU[k.rawValue]
                        }
                    }
                }
            }
        }
        valuesHU = values
    }

    /// Every MTT the tissue classes use (for `BolusModel`).
    static var mttsS: Set<Double> {
        var s = Set<Double>()
        for m in Material.allCases {
            for r in PerfusionRegion.allCases {
                if let d = TissuePerfusion.enhancement(m, r) { s.insert(d.mttS) }
            }
        }
        return s
    }
}
