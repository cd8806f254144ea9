#!/usr/bin/env bash
# The main job on a built-in synthetic study: install packages, build (release), write a
# phantom CT perfusion study, and show what ctperf finds in it.
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
echo "Ground truth (maps, masks, truth.json) is in $out/truth; machine-readable inspect: $bin inspect $out/DICOM --json"
