import Foundation
import Testing
@testable import Validation

/// The whole generator on the quick configuration (in-process), into a temporary directory.
@Suite(.serialized) struct ReportTests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validation-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Table rows of a markdown document (lines starting with "|", header separators left out).
    static func tableCells(_ markdown: String) -> [String] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("|") && !$0.hasPrefix("|---") }
            .flatMap { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func quickRunWritesTheReportAndFiguresWithFiniteNumbers() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try ValidationReport.generate(.quick, outputDirectory: dir, command: "test")
        let text = try String(contentsOfFile: (dir as NSString).appendingPathComponent("VALIDATION.md"), encoding: .utf8)
        for heading in ["## Summary", "## Methods", "## Part A", "## Part B", "## Part C", "## Limits", "## Reference"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        // Every figure is a PNG of 800 x 600 that the markdown links to.
        #expect(out.figurePaths.count >= 10)
        for path in out.figurePaths {
            let name = (path as NSString).lastPathComponent
            #expect(text.contains("(validation/\(name))"), "\(name) not linked")
            let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(24)
            #expect(Array(header.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(name) is not a PNG")
            let width = header[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = header[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 800 && height == 600, "\(name) is \(width)x\(height)")
        }
        // Numeric cells are finite; "–" marks a value that does not apply (e.g. Tmax bias %).
        let cells = Self.tableCells(text)
        #expect(cells.count > 100)
        for cell in cells {
            #expect(!["nan", "inf", "-inf", "n/a"].contains(cell.lowercased()), "non-finite table cell '\(cell)'")
        }
        let numbers = cells.compactMap { Double($0) }
        #expect(numbers.count > 100 && numbers.allSatisfy(\.isFinite))

        // Part A runs at the noise the pipeline's fit saw on the base study (smoothed, so below
        // the per-voxel noise), and the sweep keeps the unsmoothed per-voxel noise as a stress case.
        let r = out.results, c = r.configuration, base = r.fitNoise.study
        #expect(base.scenario == c.sensitivityScenario && base.seed == 1)
        #expect(base.noiseHU == c.baseNoiseHU && base.intervalS == c.baseIntervalS)
        #expect(r.grid.noiseHU == (base.smoothedNoiseSDHU * 10).rounded() / 10)
        #expect(r.grid.noiseHU > 0 && r.grid.noiseHU < c.baseNoiseHU, "grid noise \(r.grid.noiseHU) HU")
        #expect(r.gridNoise.contains { $0.noiseHU == r.grid.noiseHU && $0.tiles == r.gridParametric })
        #expect(r.gridUnsmoothed?.noiseHU == c.baseNoiseHU)
        #expect(text.contains("`smoothed_noise_sd_hu`"))
    }

    /// Seeded and deterministic: two quick runs give the same markdown except the "Generated" line.
    @Test func quickRunsAreDeterministic() throws {
        func run() throws -> String {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            _ = try ValidationReport.generate(.quick, outputDirectory: dir, command: "test")
            let text = try String(contentsOfFile: (dir as NSString).appendingPathComponent("VALIDATION.md"), encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("Generated ") }.joined(separator: "\n")
        }
        let first = try run(), second = try run()
        #expect(first == second)
        #expect(first.count > 1000)
    }

    /// The committed docs/VALIDATION.md is what the command produces today: a change to the
    /// numerics, the phantom or the report that is not regenerated fails here (every line but the
    /// "Generated" one must match; the figures are not compared byte for byte, cairo may differ).
    @Test(.timeLimit(.minutes(15))) func committedReportIsReproduced() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let committed = try String(contentsOfFile: repo + "/docs/VALIDATION.md", encoding: .utf8)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try ValidationReport.generate(.full, outputDirectory: dir, command: ValidationReport.command(for: .full))
        let fresh = try String(contentsOfFile: dir + "/VALIDATION.md", encoding: .utf8)
        func comparable(_ text: String) -> [Substring] {
            text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Generated ") }
        }
        let a = comparable(committed), b = comparable(fresh)
        let firstDifference = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(a == b, "docs/VALIDATION.md is stale — run scripts/validation.sh; first difference at line \(firstDifference.map { "\($0.offset + 1): committed '\($0.element.0)' vs now '\($0.element.1)'" } ?? "(length \(a.count) vs \(b.count))")")
    }
}
