import Foundation
import Imaging
import Outputs
import TestSupport
import Testing

/// `ctperf analyze` end to end through the built binary: phantom DICOM in, results folder out,
/// numbers against the phantom's truth, DICOM outputs through dciodvfy, exit codes for bad input.
@Suite(.serialized) struct AnalyzeCLITests {
    typealias JSON = [String: Any]

    /// A 128x128, 20-slice, 30-frame (2 s) phantom: lesions well inside the slab, fast in tests.
    static func phantom(_ dir: String, _ caseName: String, extra: [String] = []) throws {
        let r = try CLI.run(CLI.ctperf, ["phantom", "--out", dir, "--case", caseName, "--matrix", "128", "--slices", "20",
                                         "--frames", "30", "--interval", "2"] + extra)
        guard r.status == 0 else { throw TestFailure("phantom failed (\(r.status)): \(r.stderr)") }
    }

    static func json(_ path: String) throws -> JSON {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! JSON
    }

    @Test func strokeLeftMatchesTruthAndEveryOutputIsThere() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.phantom(dir, "stroke-left")
        let out = dir + "/results"
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[ 15%] analyse: motion"))
        for name in ["cbf", "cbv", "mtt", "tmax", "ttp", "rcbf", "rcbv", "brain_mask", "hypoperf_mask_tmax6",
                     "core_mask_rcbf30", "penumbra_mask", "pvt_sinus_roi", "pvt_torcula_roi"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name).nii.gz"), "\(name).nii.gz missing")
        }
        for name in ["metrics.json", "metrics.csv", "qa_aif_vof.png", "qa_tmax_mip.png", "qa_core_penumbra_mip.png"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)"), "\(name) missing")
        }

        // Numbers against truth. Tolerances are issue 3's accuracy bar: Tmax > 6 s volume within
        // 10 %, core within 5 mL; the side and the PVT call must be right.
        let metrics = try Self.json(out + "/metrics.json")
        let m = metrics["metrics"] as! JSON
        let truth = (try Self.json(dir + "/truth/truth.json"))["metrics"] as! JSON
        let hypo = m["hypoperfusion_volume_ml"] as! Double, trueHypo = truth["tmax_over6s_volume_ml"] as! Double
        let core = m["core_volume_ml"] as! Double, trueCore = truth["core_volume_ml"] as! Double
        #expect(abs(hypo - trueHypo) <= 0.10 * trueHypo, "Tmax>6 s \(hypo) mL vs truth \(trueHypo) mL")
        #expect(abs(core - trueCore) <= 5, "core \(core) mL vs truth \(trueCore) mL")
        #expect(m["affected_side"] as? String == "left")
        #expect((m["venous"] as! JSON)["prolonged_venous_transit"] as? Bool == false)
        #expect(metrics["schema"] as? String == "ctperf.metrics/1")
        #expect(((metrics["input"] as! JSON)["study_instance_uid"] as? String)?.hasPrefix("2.25.") == true)

        // CSV: one header row and one data row with the same number of columns.
        let csv = try String(contentsOfFile: out + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 2)
        #expect(csv[0].contains("metrics.core_volume_ml"))
        #expect(Self.csvFields(String(csv[0])).count == Self.csvFields(String(csv[1])).count)

        // DICOM results: 5 Secondary Capture pages and one SR, all valid.
        let dicom = try FileManager.default.contentsOfDirectory(atPath: out + "/dicom").sorted()
        #expect(dicom.filter { $0.hasPrefix("SC_") }.count == 5 && dicom.filter { $0.hasPrefix("SR_") }.count == 1)
        for file in dicom {
            let errors = try PeerToolTests.dciodvfyErrors(out + "/dicom/" + file)
            #expect(errors.isEmpty, "\(file): \(errors)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("partial") }.isEmpty)
    }

    /// RFC 4180 fields of one line (quotes honoured).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { fields.append(field); field = "" }
            else { field.append(c) }
        }
        fields.append(field)
        return fields
    }

    @Test func healthyHasNoGhostCore() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.phantom(dir, "healthy")
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", dir + "/out", "--no-dicom", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let m = (try Self.json(dir + "/out/metrics.json"))["metrics"] as! JSON
        #expect((m["core_volume_ml"] as! Double) < 2)
        #expect((m["hypoperfusion_volume_ml"] as! Double) < 5)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/dicom"))
    }

    @Test func noPerfusionListsWhatWasFoundAndLeavesTheOldResults() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "single-phase"])
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("earlier".utf8).write(to: URL(fileURLWithPath: out + "/metrics.json"))
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", out])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no complete CT perfusion acquisition"))
        #expect(r.stderr.contains("not perfusion: 1 time point"))
        #expect(try String(contentsOfFile: out + "/metrics.json", encoding: .utf8) == "earlier")

        let empty = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let e = try CLI.run(CLI.ctperf, ["analyze", "--dicom-dir", empty, "--out-dir", empty + "/out"])
        #expect(e.status == 3 && e.stderr.contains("found nothing: 0 files"))
        let incomplete = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: incomplete) }
        try CLI.phantom(incomplete, ["--case", "incomplete"])
        let i = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", incomplete + "/DICOM", "--out_dir", incomplete + "/out"])
        #expect(i.status == 3 && i.stderr.contains("perfusion, incomplete"))
        let missing = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/nope", "--out_dir", dir + "/o"])
        #expect(missing.status == 4)
        let usage = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir])
        #expect(usage.status == 2 && usage.stderr.contains("--out_dir"))
    }

    @Test func roiMasksMustOverlapTheSlab() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "stroke-left"])
        // A mask on a grid 500 mm away: refused before any analysis.
        let farGrid = Grid(nx: 10, ny: 10, nz: 3, affineLPS: Affine(columnI: Vector3(1, 0, 0), columnJ: Vector3(0, 1, 0),
                                                                  columnK: Vector3(0, 0, 5), origin: Vector3(500, 500, 500)))
        let far = Volume3D(grid: farGrid, fill: 1)
        try NIfTI.write(far, to: dir + "/far.nii.gz", dataType: .uint8)
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", dir + "/out",
                                         "--roi_mask", dir + "/far.nii.gz", "--contra_mask", dir + "/far.nii.gz"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("--roi_mask") && r.stderr.contains("does not overlap"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// A lesion ROI without the contralateral one would be silently unused: refused instead.
    @Test func roiMaskNeedsContraMask() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir, "--out_dir", dir + "/out", "--roi_mask", dir + "/roi.nii.gz"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--roi_mask needs --contra_mask"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// Corrupt and unusable files mixed into the folder are skipped; the analysis still runs.
    /// ROI masks on another (coarser, shifted) grid that overlaps the slab are resampled by world
    /// coordinates and drive the corrected CBV index.
    @Test func corruptFilesAreSkippedAndOverlappingMasksAreResampled() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.phantom(dir, "corrupt")
        // Hemispheric masks on a 2 mm grid offset by 1 mm from the 1.8 mm phantom grid: the
        // lesion side (patient left, +x) and the other side, each a slab of cortex-containing slices.
        let g = Grid(nx: 120, ny: 120, nz: 20, affineLPS: Affine(columnI: Vector3(2, 0, 0), columnJ: Vector3(0, 2, 0),
                                                                 columnK: Vector3(0, 0, 5), origin: Vector3(-119, -119, -7.5)))
        var left = Volume3D(grid: g), right = Volume3D(grid: g)
        for k in 6..<14 { for j in 0..<120 { for i in 0..<120 {
            let x = g.positionLPS(i: Double(i), j: Double(j), k: Double(k)).x
            if x > 10 { left[i, j, k] = 1 } else if x < -2 { right[i, j, k] = 1 }
        } } }
        try NIfTI.write(left, to: dir + "/roi.nii.gz", dataType: .uint8)
        try NIfTI.write(right, to: dir + "/contra.nii.gz", dataType: .uint8)
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", dir + "/out", "--no-dicom",
                                         "--roi_mask", dir + "/roi.nii.gz", "--contra_mask", dir + "/contra.nii.gz"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try Self.json(dir + "/out/metrics.json")
        let masks = doc["user_masks"] as! JSON
        #expect((masks["roi_mask"] as! JSON)["resampled_by_world_coordinates"] as? Bool == true)
        #expect(((masks["contra_mask"] as! JSON)["voxels"] as? Int ?? 0) > 0)
        let m = doc["metrics"] as! JSON
        #expect((m["cbv_index_corrected_regions"] as? String)?.contains("roi_mask") == true)
        #expect(m["affected_side"] as? String == "left")
    }

    /// Two perfusion acquisitions in one folder: analyze says so and takes the most complete;
    /// --acquisition picks the other.
    @Test func severalAcquisitionsTheMostCompleteIsChosen() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.phantom(dir + "/a", "stroke-left")
        try Self.phantom(dir + "/b", "healthy", extra: ["--frames", "25", "--seed", "7"])
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir, "--out_dir", dir + "/out", "--no-dicom"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("2 perfusion acquisitions found; analysing acquisition"))
        let input = (try Self.json(dir + "/out/metrics.json"))["input"] as! JSON
        #expect(input["time_points"] as? Int == 30)
        let other = input["acquisition_id"] as? Int == 1 ? 2 : 1
        let p = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir, "--out_dir", dir + "/out2", "--no-dicom", "--quiet",
                                         "--acquisition", String(other)])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(((try Self.json(dir + "/out2/metrics.json"))["input"] as! JSON)["time_points"] as? Int == 25)
    }

    /// A file system that fills while the results are written: exit 6, a clear message, and no
    /// results folder or partial files left behind.
    @Test func diskFullLeavesNothingAndSaysSo() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.phantom(dir, "stroke-left")
        let small = dir + "/small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        let mount = try CLI.run("mount", ["-t", "tmpfs", "-o", "size=200k", "tmpfs", small])
        try #require(mount.status == 0, "this test needs root to mount a small tmpfs: \(mount.stderr)")
        defer { _ = try? CLI.run("umount", [small]) }
        let r = try CLI.run(CLI.ctperf, ["analyze", "--dicom_dir", dir + "/DICOM", "--out_dir", small + "/out", "--quiet"])
        #expect(r.status == 6, "\(r.stderr)")
        #expect(r.stderr.contains("No space left on device") || r.stderr.lowercased().contains("space"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: small).isEmpty)
    }
}
