import Foundation
import Imaging

/// A complete perfusion acquisition in memory: HU in x, y, z, t with the true frame times,
/// its geometry, and what derived results must reference and copy.
public struct LoadedAcquisition: Sendable {
    public var volume: Volume4D                    // HU; volume.frameTimes are s from the first time point
    /// Absolute time of the first time point, s since 1970 on the scanner clock.
    public var firstFrameTime: Double
    /// SOP Instance UID and frame number (1-based, 0 for single-frame) behind [t][k].
    public var sources: [[SourceFrame]]
    /// Every source instance (for Source Image Sequence and SR evidence).
    public var sourceInstances: [SourceInstance]
    /// Patient/study attributes results must copy.
    public var copied: [CopiedAttribute]
    public var studyInstanceUID: String
    public var seriesInstanceUIDs: [String]
    public var frameOfReferenceUID: String?
}

public struct SourceFrame: Sendable, Codable, Equatable {
    public var sopInstanceUID: String
    public var frameNumber: Int   // 1-based for multi-frame objects, 0 for single-frame images
}

public struct SourceInstance: Sendable, Codable, Equatable, Hashable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var seriesInstanceUID: String
    public init(sopClassUID: String, sopInstanceUID: String, seriesInstanceUID: String) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID; self.seriesInstanceUID = seriesInstanceUID
    }
}

/// Reads the pixels of an acquisition into a Volume4D.
public enum AcquisitionLoader {
    /// The grid of an acquisition: i along rows, j down columns, k in ascending position along
    /// the normal; with gantry tilt the k column follows the actual ImagePositionPatient steps.
    public static func grid(of a: Acquisition, _ instances: [InstanceHeader]) throws -> Grid {
        guard let o = a.orientation, let ps = a.pixelSpacingMM, !a.framesBySlice.isEmpty else {
            throw DICOMError(.notLoadable, "acquisition has no image geometry")
        }
        let row = Vector3(o[0], o[1], o[2]).normalized
        let col = Vector3(o[3], o[4], o[5]).normalized
        func position(_ k: Int) -> Vector3 {
            let r = a.framesBySlice[k][0]
            return instances[r.instance].frames.first { $0.frameIndex == r.frame }!.positionLPS
        }
        let nz = a.framesBySlice.count
        let origin = position(0)
        let stepK: Vector3
        if nz > 1 {
            stepK = (position(nz - 1) - origin) / Double(nz - 1)
        } else {
            stepK = row.cross(col).normalized * (a.sliceThicknessMM ?? 1)
        }
        // PixelSpacing is (spacing between rows, spacing between columns): i steps by the column spacing.
        let affine = Affine(columnI: row * ps[1], columnJ: col * ps[0], columnK: stepK, origin: origin)
        return Grid(nx: a.columns, ny: a.rows, nz: nz, affineLPS: affine)
    }

    /// Load a complete CT acquisition. Throws with a reason a person can act on.
    public static func load(_ a: Acquisition, instances: [InstanceHeader],
                            threads: Int = defaultThreadCount()) throws -> LoadedAcquisition {
        guard a.isCT else { throw DICOMError(.notLoadable, "not a CT acquisition: \(a.notPerfusionReasons.joined(separator: "; "))") }
        guard a.complete else { throw DICOMError(.notLoadable, "acquisition incomplete: \(a.missing.joined(separator: "; "))") }
        let grid = try grid(of: a, instances)
        let nt = a.timePointCount
        let nz = grid.nz
        let perSlice = grid.voxelsPerSlice

        // Work list per file: (frame index in file, destination slice offset, slope, intercept).
        var work: [Int: [(frame: Int, offset: Int, slope: Double, intercept: Double)]] = [:]
        var sources = [[SourceFrame]](repeating: [], count: nt)
        for t in 0..<nt {
            for k in 0..<nz {
                let r = a.frame(t: t, k: k)
                let h = instances[r.instance]
                let f = h.frames.first { $0.frameIndex == r.frame }!
                work[r.instance, default: []].append((r.frame, perSlice * (k + nz * t), f.rescaleSlope, f.rescaleIntercept))
                sources[t].append(SourceFrame(sopInstanceUID: h.sopInstanceUID, frameNumber: h.isMultiFrame ? r.frame + 1 : 0))
            }
        }
        let files = work.keys.sorted()
        let jobs = files.map { work[$0]! }
        // Decode straight into the volume's storage: no zero fill and no copy (at 512x512x20x30
        // the volume is 629 MB, and touching it twice costs more than decoding 600 files).
        let total = perSlice * nz * nt
        var failures: [String?] = []
        let values = [Float](unsafeUninitializedCapacity: total) { storage, initialized in
            let base = SlicePointer(storage.baseAddress!)
            failures = parallelMap(files.count, threads: threads) { n in
                let h = instances[files[n]]
                do {
                    let file = try DicomFile(path: h.path)
                    for item in jobs[n] {
                        try file.readFrame(item.frame, slope: item.slope, intercept: item.intercept,
                                           into: base.slice(offset: item.offset, count: perSlice))
                    }
                    return nil
                } catch {
                    return "\(h.path): \(error)"
                }
            }
            // Every (t, k) slice was written once; after a failure the volume is discarded below.
            initialized = total
        }
        let errors = failures.compactMap { $0 }
        if !errors.isEmpty {
            throw DICOMError(.unreadable, "cannot read pixels of \(errors.count) file(s): \(errors.prefix(3).joined(separator: "; "))")
        }
        let t0 = a.timePointTimes[0]
        let volume = Volume4D(grid: grid, frameTimes: a.timePointTimes.map { $0 - t0 }, values: values)
        var seen = Set<SourceInstance>()
        let sourceInstances = a.instanceIndices.map { i in
            SourceInstance(sopClassUID: instances[i].sopClassUID, sopInstanceUID: instances[i].sopInstanceUID,
                           seriesInstanceUID: instances[i].seriesInstanceUID)
        }.filter { seen.insert($0).inserted }
        return LoadedAcquisition(volume: volume, firstFrameTime: t0, sources: sources, sourceInstances: sourceInstances,
                                 copied: instances[a.instanceIndices[0]].copied, studyInstanceUID: a.studyInstanceUID,
                                 seriesInstanceUIDs: a.seriesInstanceUIDs, frameOfReferenceUID: a.frameOfReferenceUID)
    }
}

/// The volume's storage, filled in disjoint slices by several threads.
/// @unchecked Sendable: each slice [offset, offset+count) is written by exactly one task (every
/// (t, k) destination appears once in the work list), and the storage outlives the tasks
/// (parallelMap returns only after all of them have finished).
private struct SlicePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
    func slice(offset: Int, count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: base + offset, count: count)
    }
}
