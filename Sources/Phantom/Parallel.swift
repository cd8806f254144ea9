import Foundation

/// Slice-parallel loops on GCD's worker threads (heavy numerics stay off the Swift cooperative
/// pool, STYLE habit 5). Results never depend on scheduling: each slice writes only its own range
/// and draws from its own random stream.
enum SliceParallel {
    /// A pointer into an array being built, shared by the slices of one `build` call.
    /// `@unchecked Sendable` is safe because every slice writes a disjoint index range and the
    /// pointer does not outlive `build`, which returns only after all slices have finished.
    struct SharedOutput<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>
    }

    /// Builds an array of `slices * sliceSize` elements; `fill(k, out)` must initialise exactly
    /// out.base[k * sliceSize ..< (k + 1) * sliceSize]. Element must be a trivial type.
    static func build<Element>(slices: Int, sliceSize: Int,
                               _ fill: @Sendable (Int, SharedOutput<Element>) -> Void) -> [Element] {
        [Element](unsafeUninitializedCapacity: slices * sliceSize) { buffer, initialised in
            if let base = buffer.baseAddress {
                let out = SharedOutput(base: base)
                DispatchQueue.concurrentPerform(iterations: slices) { k in fill(k, out) }
            }
            initialised = slices * sliceSize
        }
    }
}

/// Gaussian noise streams: one independent, reproducible stream per (seed, purpose, frame, slice).
enum NoiseStream {
    /// Mixes the seed with stream coordinates (SplitMix64 finaliser per step).
    static func seed(_ seed: UInt64, purpose: UInt64, frame: Int, slice: Int) -> UInt64 {
        var h = mix(seed ^ 0xC7A5_0F1E_D00D_BEEF)
        h = mix(h ^ purpose)
        h = mix(h ^ UInt64(truncatingIfNeeded: frame))
        return mix(h ^ UInt64(truncatingIfNeeded: slice) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// SplitMix64 finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Purposes, so static renders and frames never share a stream.
    static let dynamicFrame: UInt64 = 1
    static let staticUnenhanced: UInt64 = 2
    static let staticArterialPeak: UInt64 = 3

    /// Standard normal pair (Marsaglia polar method: exact Gaussian, no trigonometry).
    @inline(__always) static func normalPair(_ rng: inout SeededRandom) -> (Double, Double) {
        while true {
            let u = 2 * rng.uniform() - 1, v = 2 * rng.uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                return (u * f, v * f)
            }
        }
    }
}

/// Writes `count` rendered voxels: HU = table[class] + sd * N(0, 1), rounded, clamped to Int16.
@inline(__always)
func renderVoxels(classes: UnsafePointer<UInt16>, table: UnsafePointer<Double>, count: Int,
                  noiseSD: Double, rng: inout SeededRandom, out: UnsafeMutablePointer<Int16>) {
    @inline(__always) func store(_ v: Double, _ n: Int) {
        out[n] = Int16(clamping: Int(max(-40000, min(40000, v)).rounded()))
    }
    if noiseSD == 0 {
        for n in 0..<count { store(table[Int(classes[n])], n) }
        return
    }
    var n = 0
    while n + 1 < count {
        let (a, b) = NoiseStream.normalPair(&rng)
        store(table[Int(classes[n])] + noiseSD * a, n)
        store(table[Int(classes[n + 1])] + noiseSD * b, n + 1)
        n += 2
    }
    if n < count { store(table[Int(classes[n])] + noiseSD * NoiseStream.normalPair(&rng).0, n) }
}
