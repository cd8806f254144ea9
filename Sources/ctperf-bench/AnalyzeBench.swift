import DICOM
import Foundation
import Outputs
import Phantom

/// The whole analyze on phantoms of several sizes, each in a fresh process.
enum AnalyzeBench {
    static func run() throws {
        let matrices = option("matrices", "256,512").split(separator: ",").compactMap { Int($0) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ctperf-bench-analyze-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        for matrix in matrices {
            var request = PhantomRequest()
            request.phantomCase = .strokeLeft
            request.spec.matrix = matrix
            request.spec.slices = 20
            request.spec.frames = 30
            let dir = root + "/\(matrix)"
            _ = try StudyWriter.write(request, model: try PhantomOutput.model(for: request), to: dir)
            print("ctperf-bench analyze: stroke-left \(matrix)x\(matrix), 20 slices x 30 frames (600 images), \(defaultThreadCount()) threads")
            // Flush the phantom to disk first so write-back does not run during the measurement
            // (the files stay in the page cache, as they would after a transfer).
            sync()
            fflush(nil)   // all output streams: this process's lines come before the child's
            let p = Process()
            p.executableURL = URL(fileURLWithPath: me)
            p.arguments = ["analyze-one", dir + "/DICOM", dir + "/out"]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw BenchFailure("analyze of the \(matrix) phantom exited with \(p.terminationStatus)") }
        }
    }

    /// One analyze in this process, printing each stage's wall time and the peak memory so far.
    static func runOne(dicom: String, out: String) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        print("  " + "stage".padding(toLength: 14, withPad: " ", startingAt: 0) + "   wall s  peak RSS MiB")
        _ = try AnalyzeJob.run(AnalyzeRequest(dicomDirectory: dicom, outputDirectory: out)) { event in
            if case .stageDone(let stage, let s, let rss) = event {
                print(row(stage, s, rss))
            }
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(row("total", total, peakRSSMiB()))
    }
}

private func row(_ stage: String, _ seconds: Double, _ rss: Double) -> String {
    "  " + stage.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: " %8.2f %12.0f", seconds, rss)
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
