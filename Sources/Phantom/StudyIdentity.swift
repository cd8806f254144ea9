import DICOM
import Foundation

/// Reproducible identity of a phantom study: UIDs derived from the seed and case, fake patient
/// demographics, and the clock time the acquisition starts.
struct StudyIdentity: Sendable {
    let seed: UInt64
    let caseName: String
    let patientName: String
    let patientID: String
    /// Acquisition start, s since 1970 on the scanner clock.
    let startTime: Double

    /// The case whose study (StudyInstanceUID, patient, frame of reference) the images belong to.
    let studyCaseName: String

    /// `studyOf`: put this case's series into the study of another case (a plain CT or CTA in the
    /// same study as a perfusion scan, as a scanner sends them).
    init(seed: UInt64, phantomCase: PhantomCase, studyOf: PhantomCase? = nil) {
        self.seed = seed
        caseName = phantomCase.rawValue
        let owner = studyOf ?? phantomCase
        studyCaseName = owner.rawValue
        patientName = "PHANTOM^" + owner.rawValue.uppercased().replacingOccurrences(of: "-", with: " ")
        patientID = "CTPERF-\(seed)-\(owner.rawValue)"
        let day = Double(DicomDateTime.daysFromCivil(year: 2026, month: 3, day: 14)) * 86_400
        // The midnight case starts 20 s before 00:00 so its frames wrap to the next day.
        startTime = day + (phantomCase == .midnight ? 86_400 - 20 : 10 * 3600 + 15 * 60)
    }

    var studyInstanceUID: String { uid("study", caseName: studyCaseName) }
    var frameOfReferenceUID: String { uid("frame-of-reference", caseName: studyCaseName) }

    /// A UID derived from (seed, case, role): the same inputs always give the same UID.
    func uid(_ role: String, caseName: String? = nil) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
        for b in "\(seed)|\(caseName ?? self.caseName)|\(role)".utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var rng = SeededRandom(seed: h)
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let v = rng.next()
            for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((v >> UInt64(s)) & 0xFF)) }
        }
        return UID.derived(from: bytes)
    }
}
