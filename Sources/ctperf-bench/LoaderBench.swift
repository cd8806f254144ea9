import DICOM
import Foundation
import Imaging
import Outputs
import Phantom

/// Loader throughput: raw file reads vs header scan vs full load, same files, same threads.
enum LoaderBench {
    static func run() throws {
        let matrix = Int(option("matrix", "512"))!
        let slices = Int(option("slices", "20"))!
        let frames = Int(option("frames", "30"))!
        let syntaxes = option("syntaxes", "explicit").split(separator: ",").map { PhantomTransferSyntax(rawValue: String($0))! }
        let threads = Int(option("threads", String(defaultThreadCount())))!
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ctperf-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }

        print("ctperf-bench loader: \(matrix)x\(matrix), \(slices) slices x \(frames) frames = \(slices * frames) files, \(threads) threads")
        print("syntax            files  MB     raw read files/s  MB/s  | headers files/s | load files/s  MB/s  | peak RSS MB")
        for syntax in syntaxes {
            var request = PhantomRequest()
            request.phantomCase = .strokeLeft
            request.transferSyntax = syntax
            request.spec.matrix = matrix
            request.spec.slices = slices
            request.spec.frames = frames
            let dir = (root as NSString).appendingPathComponent(syntax.rawValue)
            let model = try PhantomOutput.model(for: request)
            _ = try StudyWriter.write(request, model: model, to: dir)
            let dicom = (dir as NSString).appendingPathComponent("DICOM")
            let files = try FolderScanner.listFiles(root: dicom)
            var bytes = 0
            for f in files { bytes += try Data(contentsOf: URL(fileURLWithPath: f)).count }   // warm the page cache
            let mb = Double(bytes) / 1e6

            // Raw: read every file completely, same thread count as the loader.
            let raw = seconds {
                let sizes: [Int] = parallelMap(files.count, threads: threads) { i in
                    (try? Data(contentsOf: URL(fileURLWithPath: files[i])).count) ?? 0
                }
                precondition(sizes.reduce(0, +) == bytes)
            }
            var scan: ScanResult!
            let headers = try seconds { scan = try FolderScanner.scan(root: dicom, threads: threads) }
            var loaded: LoadedAcquisition!
            let load = try seconds {
                let s = try FolderScanner.scan(root: dicom, threads: threads)
                let g = AcquisitionGrouper.group(s.instances)
                guard let a = g.acquisitions.first(where: \.analysable) else { fatalError("no analysable acquisition") }
                loaded = try AcquisitionLoader.load(a, instances: s.instances, threads: threads)
            }
            precondition(scan.instances.count == files.count && loaded.volume.nt == frames)
            let n = Double(files.count)
            print(String(format: "%-16@ %6d %6.0f  %10.0f %8.0f  | %15.0f | %12.0f %5.0f | %8.0f",
                         syntax.rawValue as NSString, files.count, mb, n / raw, mb / raw, n / headers, n / load, mb / load, peakRSSMiB()))
        }
    }
}
