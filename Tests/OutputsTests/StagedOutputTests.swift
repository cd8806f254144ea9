import Foundation
import TestSupport
import Testing
@testable import Outputs

struct StagedOutputTests {
    struct Sample: Encodable {
        var coreVolumeML: Double = 19.25
        var mismatchRatio: Double? = nil
        var target: Bool = true
        var name = "a,\"b\""
        var nested = Inner()
        var list = [1, 2]
        struct Inner: Encodable { var tmaxS = 6 }
    }

    @Test func csvHasStableSortedFlattenedColumns() throws {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        var s = Sample()
        s.mismatchRatio = nil
        let csv = try FlatCSV.make(s, encoder: e)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        // A nil optional is left out by Swift's encoder, so columns come only from present keys.
        #expect(lines[0] == "core_volume_ml,list,name,nested.tmax_s,target")
        #expect(lines[1] == "19.25,\"[1,2]\",\"a,\"\"b\"\"\",6,true")
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
