#!/usr/bin/env bash
# The main job on a built-in synthetic study: install packages, build (release), write a
# phantom CT perfusion study, show what ctperf finds in it, analyse it, and compare the key
# numbers with the phantom's truth.
# Usage: scripts/demo.sh [OUTPUT_DIR]   (default: ./demo)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo}"
scripts/install-deps.sh
swift build -c release --product ctperf
bin="$(swift build -c release --show-bin-path)/ctperf"
rm -rf "$out"
echo "== writing a synthetic stroke study (left MCA, 256x256, 20 slices x 30 time points) to $out"
"$bin" phantom --out "$out" --case stroke-left --matrix 256 --slices 20 --frames 30
echo
echo "== ctperf inspect $out/DICOM"
"$bin" inspect "$out/DICOM"
echo
echo "== ctperf analyze --dicom_dir $out/DICOM --out_dir $out/results"
"$bin" analyze --dicom_dir "$out/DICOM" --out_dir "$out/results"
echo
python3 - "$out" <<'PY' || true
import json, sys
out = sys.argv[1]
m = json.load(open(f"{out}/results/metrics.json"))["metrics"]
t = json.load(open(f"{out}/truth/truth.json"))["metrics"]
rows = [("core (mL)", "core_volume_ml", "core_volume_ml"), ("Tmax > 6 s (mL)", "hypoperfusion_volume_ml", "tmax_over6s_volume_ml"),
        ("penumbra (mL)", "penumbra_volume_ml", "penumbra_volume_ml"), ("mismatch ratio", "mismatch_ratio", "mismatch_ratio"),
        ("HIR", "hypoperfusion_intensity_ratio", "hypoperfusion_intensity_ratio"), ("CBV index", "cbv_index_conventional", "cbv_index_conventional")]
print(f"{'':18}{'ctperf':>10}{'truth':>10}")
for label, a, b in rows:
    va, vb = m.get(a), t.get(b)
    fa = f"{va:10.2f}" if isinstance(va, (int, float)) else f"{'n/a':>10}"
    fb = f"{vb:10.2f}" if isinstance(vb, (int, float)) else f"{'n/a':>10}"
    print(f"{label:18}{fa}{fb}")
PY
echo
echo "Results: $out/results (maps .nii.gz, metrics.json, metrics.csv, qa_*.png, dicom/ for PACS)"
echo "Truth:   $out/truth (maps, masks, truth.json)"
