import Foundation
import TestSupport
import Testing
@testable import Outputs

struct StagedOutputTests {
    struct Sample {
        var coreVolumeML: Double = 19.25
        var mismatchRatio: Double? = nil
        var target: Bool = true
        var name = "a,\"b\""
        var nested = Inner()
        var list = [1, 2]
        struct Inner { var tmaxS = 6 }
    }

    @Test func csvColumnsComeFromTheTypeEvenWhenValuesAreNil() throws {
        var s = Sample()
        s.mismatchRatio = nil
        let lines = FlatCSV.make(s).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "core_volume_ml,mismatch_ratio,target,name,nested.tmax_s,list")
        #expect(lines[1] == "19.25,,true,\"a,\"\"b\"\"\",6,1;2")
        s.mismatchRatio = 4.25
        #expect(String(FlatCSV.make(s).split(separator: "\n")[0]) == lines[0])
        #expect(FlatCSV.make(s).split(separator: "\n")[1].hasPrefix("19.25,4.25,true"))
    }

    @Test func snakeCaseMatchesJSONEncoder() throws {
        struct Keys: Encodable {
            var coreVolumeML = 0, tmaxOver6sVolumeML = 0, defuse3TargetMismatch = 0, extendIATargetMismatch = 0
            var cbfMLPer100gPerMin = 0, aifPartialVolumeScale = 0, pointLPS = 0
        }
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = .sortedKeys
        let json = try JSONSerialization.jsonObject(with: e.encode(Keys())) as! [String: Any]
        let mirrored = Mirror(reflecting: Keys()).children.map { FlatCSV.snakeCase($0.label!) }
        #expect(Set(json.keys) == Set(mirrored))
    }

    @Test func stagedDirectoryAppearsOnlyOnCommitAndReplacesTheOld() throws {
        try TemporaryDirectory.with { root in
            let out = root + "/results"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/old.txt"))
            let staged = try StagedDirectory(final: out)
            try Data("new".utf8).write(to: URL(fileURLWithPath: staged.path("metrics.json")))
            #expect(FileManager.default.fileExists(atPath: out + "/old.txt"))
            #expect(!FileManager.default.fileExists(atPath: out + "/metrics.json"))
            try staged.commit()
            #expect(FileManager.default.fileExists(atPath: out + "/metrics.json"))
            #expect(!FileManager.default.fileExists(atPath: out + "/old.txt"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["results"])
        }
    }

    @Test func abandonedStagingLeavesNothing() throws {
        try TemporaryDirectory.with { root in
            let staged = try StagedDirectory(final: root + "/out")
            try Data("x".utf8).write(to: URL(fileURLWithPath: staged.path("cbf.nii.gz")))
            staged.abandon()
            #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        }
    }
}
