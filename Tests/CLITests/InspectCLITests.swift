import Foundation
import Testing

/// `ctperf inspect` on every phantom case, through the built binary.
struct InspectCLITests {
    typealias JSON = [String: Any]

    func acquisitions(_ j: JSON) -> [JSON] { j["acquisitions"] as! [JSON] }
    func skipped(_ j: JSON) -> [JSON] { j["skipped"] as! [JSON] }

    @Test(arguments: ["healthy", "stroke-right", "large-core", "small-core", "pvt", "motion", "variable-sampling", "midnight", "tilt"])
    func perfusionCasesAreFoundCompleteAndPerfusion(caseName: String) throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", caseName])
        let j = try CLI.inspect(dir + "/DICOM")
        let a = acquisitions(j)
        #expect(a.count == 1)
        #expect(a[0]["perfusion"] as? Bool == true)
        #expect(a[0]["complete"] as? Bool == true)
        #expect(a[0]["slices"] as? Int == 3)
        #expect(a[0]["time_points"] as? Int == 12)
        #expect(skipped(j).isEmpty)
        let times = a[0]["frame_times_s"] as! [Double]
        let sampling = a[0]["sampling_interval_s"] as! JSON
        if caseName == "variable-sampling" {
            #expect(sampling["uniform"] as? Bool == false)
        } else {
            #expect(sampling["uniform"] as? Bool == true)
            #expect(abs(times.last! - 33) < 0.01)
        }
        if caseName == "midnight" {
            #expect(a[0]["crosses_midnight"] as? Bool == true)
            #expect((a[0]["first_frame_time"] as? String)?.hasPrefix("2026-03-14T23:59") == true)
            #expect((a[0]["last_frame_time"] as? String)?.hasPrefix("2026-03-15T00:00") == true)
        }
    }

    @Test func singlePhaseIsNotPerfusionBecauseOfOneTimePoint() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "single-phase"])
        let a = acquisitions(try CLI.inspect(dir + "/DICOM"))
        #expect(a.count == 1)
        #expect(a[0]["perfusion"] as? Bool == false)
        #expect((a[0]["not_perfusion_reasons"] as! [String]).contains { $0.contains("1 time point") })
    }

    @Test func ctaIsNotPerfusion() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "cta"])
        let a = acquisitions(try CLI.inspect(dir + "/DICOM"))
        #expect(a.count == 1)
        #expect(a[0]["perfusion"] as? Bool == false)
        #expect(a[0]["slices"] as? Int == 15)
        #expect(abs((a[0]["slice_spacing_mm"] as? Double ?? 0) - 1.0) < 0.01)
    }

    @Test func mrIsRejectedBySOPClass() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "mr"])
        let a = acquisitions(try CLI.inspect(dir + "/DICOM"))
        #expect(a.count == 1)
        #expect(a[0]["modality"] as? String == "MR")
        #expect(a[0]["perfusion"] as? Bool == false)
        #expect((a[0]["not_perfusion_reasons"] as! [String])[0].contains("MR Image Storage"))
    }

    @Test func incompleteSaysWhatIsMissing() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "incomplete"])
        let a = acquisitions(try CLI.inspect(dir + "/DICOM"))
        #expect(a.count == 1)
        #expect(a[0]["perfusion"] as? Bool == true)
        #expect(a[0]["complete"] as? Bool == false)
        // 3 slices: slices 1 and 2 (upper half) lost their last 3 time points.
        #expect((a[0]["missing"] as! [String]).first?.contains("2 of 3 slice positions have 9 of 12 time points (6 frames missing)") == true)
    }

    @Test func corruptFilesAreSkippedWithReasonsAndThePerfusionIsStillFound() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "corrupt"])
        let j = try CLI.inspect(dir + "/DICOM")
        let a = acquisitions(j)
        #expect(a.count == 1)
        #expect(a[0]["perfusion"] as? Bool == true && a[0]["complete"] as? Bool == true)
        let reasons = Dictionary(uniqueKeysWithValues: skipped(j).map {
            (($0["path"] as! String).components(separatedBy: "/DICOM/").last!, $0["reason"] as! String)
        })
        let expected: [String: String] = [
            "extra/garbage.dcm": "not a DICOM file", "extra/README.txt": "not a DICOM file",
            "extra/truncated.dcm": "file truncated", "extra/truncated_header.dcm": "file truncated or not written",
            "extra/no_pixels.dcm": "without Pixel Data",
            "extra/no_position.dcm": "no ImagePositionPatient", "extra/no_time.dcm": "no acquisition time",
            "extra/jpeg2000.dcm": "unsupported transfer syntax JPEG 2000",
            "extra/wrong_matrix.dcm": "inconsistent with its series", "extra/wrong_orientation.dcm": "inconsistent with its series",
        ]
        #expect(Set(reasons.keys) == Set(expected.keys))
        for (file, keyword) in expected {
            #expect(reasons[file]?.contains(keyword) == true, "\(file): \(reasons[file] ?? "not skipped")")
        }
    }

    @Test func textOutputAndErrors() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--case", "stroke-left", "--layout", "canon"])
        let text = try CLI.run(CLI.ctperf, ["inspect", dir + "/DICOM"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("perfusion: yes"))
        #expect(text.stdout.contains("complete:  yes"))
        #expect(text.stdout.contains("series-per-time-point"))
        let missing = try CLI.run(CLI.ctperf, ["inspect", dir + "/nope"])
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("no such file or directory"))
        let typo = try CLI.run(CLI.ctperf, ["inspect", dir, "--jsn"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean --json"))
        let empty = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let e = try CLI.inspect(empty)
        #expect(acquisitions(e).isEmpty && (e["files_seen"] as? Int) == 0)
    }
}

extension InspectCLITests {
    /// A DICOMDIR made by DCMTK's dcmmkdir beside the images is recognised and skipped.
    @Test func dicomdirIsSkippedWithItsReason() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.phantom(dir, ["--layout", "ge"])
        let made = try CLI.run(try CLI.which("dcmmkdir"), ["+r", "-Pgp", "--invent", "S000003"], cwd: dir + "/DICOM")
        #expect(made.status == 0, "dcmmkdir: \(made.stderr)")
        let j = try CLI.inspect(dir + "/DICOM")
        #expect(acquisitions(j).count == 1 && acquisitions(j)[0]["complete"] as? Bool == true)
        let s = skipped(j)
        #expect(s.count == 1)
        #expect((s.first?["reason"] as? String)?.hasPrefix("DICOMDIR") == true)
    }
}
