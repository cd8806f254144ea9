import Foundation
import Imaging
import Perfusion
import Phantom
import Testing
@testable import Outputs

/// docs/METRICS.md, the scientific reference, keeps up with the code: every key of a metrics.json
/// that `AnalyzeJob` really writes, and every quality flag code, is named in it in backticks.
/// A key added to the code without a definition in the document fails here.
@Suite struct MetricsDocTests {
    /// docs/METRICS.md in the source tree: three directories up from this file.
    static var documentPath: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return (parts + ["docs", "METRICS.md"]).joined(separator: "/")
    }

    @Test func metricsDocNamesEveryMetricsJSONKeyAndQualityFlagCode() throws {
        let names = Self.backtickedNames(try String(contentsOfFile: Self.documentPath, encoding: .utf8))
        let keys: Set<String> = try withTempDirectory { dir in
            // A small stroke phantom: 14 frames (< 15) so the tooFewTimePoints flag fires and
            // quality_flags has entries; both ROI masks so user_masks has its keys.
            var phantom = PhantomRequest()
            phantom.phantomCase = .strokeLeft
            phantom.spec.matrix = 64
            phantom.spec.slices = 8
            phantom.spec.frames = 14
            phantom.spec.intervalS = 2.5
            let model = try PhantomOutput.model(for: phantom)
            let study = try StudyWriter.write(phantom, model: model, to: dir)
            let g = model.grid
            var left = [Float](repeating: 0, count: g.voxelCount), right = left
            for k in 0..<g.nz { for j in 0..<g.ny { for i in 0..<g.nx {
                if i < g.nx / 2 { left[g.index(i, j, k)] = 1 } else { right[g.index(i, j, k)] = 1 }
            } } }
            try NIfTI.write(Volume3D(grid: g, values: left), to: dir + "/roi.nii.gz", dataType: .uint8)
            try NIfTI.write(Volume3D(grid: g, values: right), to: dir + "/contra.nii.gz", dataType: .uint8)

            var request = AnalyzeRequest(dicomDirectory: study.dicomDirectory, outputDirectory: dir + "/out")
            request.roiMaskPath = dir + "/roi.nii.gz"
            request.contraMaskPath = dir + "/contra.nii.gz"
            request.writeDICOM = false
            let summary = try AnalyzeJob.run(request)
            #expect(summary.qualityFlags.contains { $0.code == .tooFewTimePoints }, "\(summary.qualityFlags)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/metrics.json")))
            var keys = Set<String>()
            Self.collectKeys(json, into: &keys)
            return keys
        }
        #expect(keys.count > 100, "only \(keys.count) keys collected")
        for key in ["user_masks", "resampled_by_world_coordinates", "code", "message", "cbv_index_corrected", "published_cutoffs"] {
            #expect(keys.contains(key), "the fixture's metrics.json lacks \(key)")
        }
        let missing = keys.subtracting(names).sorted()
        #expect(missing.isEmpty, "metrics.json keys not named in docs/METRICS.md: \(missing)")
        let missingCodes = QualityFlag.Code.allCases.map(\.rawValue).filter { !names.contains($0) }
        #expect(missingCodes.isEmpty, "quality flag codes not named in docs/METRICS.md: \(missingCodes)")
    }

    /// Every object key at any depth (arrays are walked into; their indices are not keys).
    static func collectKeys(_ value: Any, into keys: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, child) in object {
                keys.insert(key)
                collectKeys(child, into: &keys)
            }
        } else if let array = value as? [Any] {
            for child in array { collectKeys(child, into: &keys) }
        }
    }

    /// Names written in backticks: each `span`, the tokens it splits into at spaces and
    /// punctuation, and the "."-separated parts of every token, so `venous.torcula.tmax_median_s`
    /// names venous, torcula and tmax_median_s, and `{code, message}` names code and message.
    static func backtickedNames(_ markdown: String) -> Set<String> {
        var names = Set<String>()
        let spans = markdown.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        let separators = CharacterSet(charactersIn: " ,;:(){}[]=<>\"'|+→\n\t")
        for span in spans {
            names.insert(span)
            for token in span.components(separatedBy: separators) where !token.isEmpty {
                names.insert(token)
                for part in token.split(separator: ".") { names.insert(String(part)) }
            }
        }
        return names
    }
}
