import DICOM
import Foundation
import Imaging
import Outputs
import Phantom

// ctperf-bench: benchmarks in a release build that print figures side by side.
//   swift run -c release ctperf-bench loader [--matrix 512] [--slices 20] [--frames 30] [--threads N]
//                                     [--syntaxes explicit,implicit,jpeg-lossless,jpeg-lossless-57,jpeg-ls,rle]
//       loader throughput next to the raw file-read rate of the same files
//   swift run -c release ctperf-bench analyze [--matrices 256,512]
//       the whole `ctperf analyze` (load to last output file) per stage: wall time and peak memory,
//       each size in a fresh process so its peak memory is its own
//   swift run -c release ctperf-bench node [--matrix 512] [--slices 20] [--frames 30] [--repeat 3] [--quiet 10]
//       ctperfd's receive throughput next to DCMTK storescp's (same study, same machine, same run),
//       and the time from the last image acknowledged to the last result stored in a PACS
//   swift run -c release ctperf-bench scp [--size 512] [--slices 20] [--frames 30] [--rounds 3] [--breakdown]
//       receiving a study from storescu: DCMTK's storescp next to our StoreSCP writing durably

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count { return args[i + 1] }
    return fallback
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let mode = CommandLine.arguments.dropFirst().first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "loader"
switch mode {
case "loader": try LoaderBench.run()
case "analyze": try AnalyzeBench.run()
case "node": try NodeBench.run()
case "analyze-one": try AnalyzeBench.runOne(dicom: CommandLine.arguments[2], out: CommandLine.arguments[3])
case "scp": try SCPBench.run()
default:
    FileHandle.standardError.write(Data("usage: ctperf-bench loader|analyze|scp|node [options]\n".utf8))
    exit(2)
}
