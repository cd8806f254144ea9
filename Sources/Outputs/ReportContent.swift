import DICOM
import Foundation
import Perfusion

/// What the summary page says and what the SR holds, from one result (DESIGN section 6).
/// Concepts: CID 4108 where DICOM has a code (126390 Absolute Regional Blood Flow, 126391
/// Absolute Regional Blood Volume, 113052 Mean Transit Time, 113084 Tmax), SCT 118565006 Volume,
/// UCUM units; stroke concepts without a standard code in the private scheme 99CTPERF.
struct ReportContent {
    var header: String
    var summaryLines: [String]
    var footer: String
    var measurementGroups: [MeasurementGroup]

    static let volume = CodedConcept("118565006", "SCT", "Volume")
    static let mL = CodedConcept("ml", "UCUM", "milliliter")
    static let ratio = CodedConcept("{ratio}", "UCUM", "ratio")
    static let percent = CodedConcept("%", "UCUM", "percent")
    static let seconds = CodedConcept("s", "UCUM", "second")
    static let flowUnit = CodedConcept("ml/[100]g/min", "UCUM", "milliliter per 100 gram per minute")
    static let volumeUnit = CodedConcept("ml/[100]g", "UCUM", "milliliter per 100 gram")
    static let cbf = CodedConcept("126390", "DCM", "Absolute Regional Blood Flow")
    static let cbv = CodedConcept("126391", "DCM", "Absolute Regional Blood Volume")
    static let tmax = CodedConcept("113084", "DCM", "Tmax")
    static let brain = CodedConcept("12738006", "SCT", "Brain")

    init(_ c: ResultContext) {
        let m = c.result.metrics
        let o = c.request.options
        let a = c.acquisition
        let t = String(format: "%g", o.tmaxThresholdS)
        let r = String(format: "%g", o.rcbfThreshold * 100)
        func num(_ v: Double?, _ format: String = "%.2f", reason: String? = nil) -> String {
            v.map { String(format: format, $0) } ?? "n/a" + (reason.map { " (\($0))" } ?? "")
        }
        let pvt: String
        switch m.venous.prolongedVenousTransit {
        case .some(true): pvt = "POSITIVE"
        case .some(false): pvt = "negative"
        case .none: pvt = "not assessed"
        }
        header = "CT perfusion summary\n"
            + "Study \(a.firstFrameTime.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "time unknown")   "
            + "\(a.slices) slices x \(a.timePoints) time points"
        summaryLines = [
            String(format: "Core (rCBF<%@%% & Tmax>%@s): %.1f mL", r, t, m.coreVolumeML),
            String(format: "Tmax>%@s: %.1f mL", t, m.hypoperfusionVolumeML),
            String(format: "Mismatch volume: %.1f mL", m.mismatchVolumeML),
            "Mismatch ratio: " + num(m.mismatchRatio, "%.1f", reason: m.mismatchRatioNullReason),
            String(format: "Tmax>10s: %.1f mL", m.tmaxOver10sVolumeML),
            "HIR: " + num(m.hypoperfusionIntensityRatio),
            "CBV index: " + num(m.cbvIndexConventional),
            "Cortical CBV index: " + num(m.cbvIndexCorrected),
            "PVT: \(pvt)" + (m.venous.superiorSagittalSinus.tmaxMedianS.map { String(format: " (sinus Tmax %.1f s)", $0) } ?? ""),
            "DEFUSE-3 target mismatch: \(m.defuse3TargetMismatch ? "yes" : "no")",
            "EXTEND-IA target mismatch: \(m.extendIATargetMismatch ? "yes" : "no")",
            "Affected side: \(m.affectedSide ?? "none detected")",
        ] + c.result.qualityFlags.map { "QC: \($0.message)" }
        footer = "Thresholds: core rCBF < \(r)% and Tmax > \(t) s; hypoperfusion Tmax > \(t) s; PVT venous Tmax >= "
            + String(format: "%g", o.pvtThresholdS) + " s. Reference: \(m.reference.source) normal tissue. "
            + "ctperf \(CtperfVersion.string) (\(m.settings.deconvolution)). Research use only, not for diagnosis."

        let v = Self.volume
        func find(_ code: String, _ meaning: String) -> CodedConcept { CtperfCodingScheme.concept(code, meaning) }
        func volumeGroup(_ id: String, _ finding: CodedConcept, _ mL: Double, _ description: String) -> MeasurementGroup {
            MeasurementGroup(trackingIdentifier: id, trackingUID: UID.generate(), finding: finding, findingSite: Self.brain,
                             measurements: [DICOM.Measurement(concept: v, value: mL, unit: Self.mL, description: description)])
        }
        var groups = [
            volumeGroup("Ischemic core", find("CORE", "Ischemic core"), m.coreVolumeML, "rCBF < \(r)% and Tmax > \(t) s"),
            volumeGroup("Hypoperfusion Tmax>\(t)s", find("HYPO", "Hypoperfused tissue"), m.hypoperfusionVolumeML, "Tmax > \(t) s"),
            volumeGroup("Penumbra", find("PENUMBRA", "Penumbra"), m.penumbraVolumeML, "Tmax > \(t) s minus core"),
            volumeGroup("Tmax>4s", find("TMAX4", "Tissue with Tmax > 4 s"), m.tmaxOver4sVolumeML, "Tmax > 4 s"),
            volumeGroup("Tmax>8s", find("TMAX8", "Tissue with Tmax > 8 s"), m.tmaxOver8sVolumeML, "Tmax > 8 s"),
            volumeGroup("Tmax>10s", find("TMAX10", "Tissue with Tmax > 10 s"), m.tmaxOver10sVolumeML, "Tmax > 10 s"),
        ]
        var indices: [DICOM.Measurement] = [
            DICOM.Measurement(concept: find("MISMATCHVOL", "Mismatch volume"), value: m.mismatchVolumeML, unit: Self.mL,
                        description: "hypoperfusion minus core"),
        ]
        func add(_ value: Double?, _ concept: CodedConcept, _ unit: CodedConcept, _ description: String) {
            if let value, value.isFinite { indices.append(DICOM.Measurement(concept: concept, value: value, unit: unit, description: description)) }
        }
        add(m.mismatchRatio, find("MISMATCHRATIO", "Mismatch ratio"), Self.ratio, "hypoperfusion / core")
        add(m.prrPercent, find("PRR", "Penumbra ratio"), Self.percent, "penumbra / hypoperfusion x 100")
        add(m.hypoperfusionIntensityRatio, find("HIR", "Hypoperfusion intensity ratio"), Self.ratio, "V(Tmax > 10 s) / V(Tmax > 6 s)")
        add(m.compensationIndex, find("COMPIDX", "Compensation index"), Self.ratio, "V(Tmax > 4 s) / V(Tmax > 6 s)")
        add(m.cbvIndexConventional, find("CBVINDEX", "CBV index"), Self.ratio, "mean CBV in Tmax > \(t) s / reference")
        add(m.cbvIndexCorrected, find("CBVINDEXCTX", "Cortical CBV index"), Self.ratio, "cortical grey matter, lesion / mirrored")
        add(m.reference.cbfMLPer100gPerMin, Self.cbf, Self.flowUnit, "mean of the reference tissue")
        add(m.reference.cbvMLPer100g, Self.cbv, Self.volumeUnit, "mean of the reference tissue")
        groups.append(MeasurementGroup(trackingIdentifier: "Perfusion indices", trackingUID: UID.generate(),
                                       finding: find("PERFIDX", "Perfusion indices"), findingSite: Self.brain,
                                       measurements: indices))
        var venous: [DICOM.Measurement] = []
        if let s = m.venous.superiorSagittalSinus.tmaxMedianS {
            venous.append(DICOM.Measurement(concept: Self.tmax, value: s, unit: Self.seconds, description: "median, superior sagittal sinus"))
        }
        if let s = m.venous.torcula.tmaxMedianS {
            venous.append(DICOM.Measurement(concept: Self.tmax, value: s, unit: Self.seconds, description: "median, torcula"))
        }
        if !venous.isEmpty {
            let call = m.venous.prolongedVenousTransit ?? false
            groups.append(MeasurementGroup(
                trackingIdentifier: "Venous transit", trackingUID: UID.generate(),
                finding: find("PVT", "Prolonged venous transit"), findingSite: find("SSSTORCULA", "Superior sagittal sinus and torcula"),
                measurements: venous,
                qualitative: [QualitativeEvaluation(concept: find("PVT", "Prolonged venous transit"),
                                                    value: call ? CodedConcept("373066001", "SCT", "Yes") : CodedConcept("373067005", "SCT", "No"))]))
        }
        measurementGroups = groups
    }
}
