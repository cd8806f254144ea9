#!/usr/bin/env bash
# The main job, end to end on a built-in synthetic study: install packages, build (release),
# start a loopback PACS (DCMTK storescp) and the ctperfd node with a temporary configuration,
# send a phantom CT perfusion study with storescu as a scanner would, wait until the node has
# detected the complete acquisition, analysed it and stored its Secondary Capture pages and SR
# in the PACS, print the key numbers next to the phantom's truth and where every output is, then
# stop everything it started.
# Usage: scripts/demo.sh [OUTPUT_DIR]   (default: ./demo)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo}"
scripts/install-deps.sh
swift build -c release --product ctperf
swift build -c release --product ctperfd
bindir="$(swift build -c release --show-bin-path)"
rm -rf "$out"
mkdir -p "$out/pacs"
out="$(cd "$out" && pwd)"
export TCP_NODELAY=1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pacs_port=$(free_port)
node_port=$(free_port)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "demo: timed out waiting for $what (see $out/ctperfd.log)" >&2; exit 1; fi
    sleep 0.2
  done
}

echo "== writing a synthetic stroke study (left MCA, 256x256, 20 slices x 30 time points) to $out/study"
"$bindir/ctperf" phantom --out "$out/study" --case stroke-left --matrix 256 --slices 20 --frames 30

echo "== starting a loopback PACS: storescp AE PACS on port $pacs_port, storing into $out/pacs"
storescp -aet PACS -od "$out/pacs" +xa "$pacs_port" >"$out/pacs.log" 2>&1 &
pids+=($!)
wait_for 10 "the PACS" echoscu -aec PACS 127.0.0.1 "$pacs_port"

cat >"$out/ctperfd.toml" <<TOML
# Temporary configuration written by scripts/demo.sh (see config/ctperfd.toml for every key).
[node]
ae_title = "CTPERF"
port = $node_port
state_dir = "$out/state"
results_dir = "$out/results"
min_free_disk_mb = 100

[detection]
quiet_seconds = 5

[analysis]
ctperf_path = "$bindir/ctperf"

[[destination]]
name = "pacs"
ae_title = "PACS"
host = "127.0.0.1"
port = $pacs_port
TOML
echo "== starting ctperfd (AE CTPERF, port $node_port, config $out/ctperfd.toml, log $out/ctperfd.log)"
"$bindir/ctperfd" --check-config --config "$out/ctperfd.toml" | sed 's/^/   /'
"$bindir/ctperfd" --config "$out/ctperfd.toml" 2>"$out/ctperfd.log" &
pids=("$!" "${pids[@]}")
wait_for 30 "ctperfd to listen" grep -q "event=listening" "$out/ctperfd.log"

files=$(find "$out/study/DICOM" -type f | wc -l)
echo "== sending the study ($files images) with storescu, as the scanner would"
start=$(date +%s.%N)
storescu -aet SCANNER -aec CTPERF 127.0.0.1 "$node_port" $(find "$out/study/DICOM" -type f | sort)
acked=$(date +%s.%N)
echo "   sent in $(python3 -c "print(f'{$acked-$start:.1f}')") s; the node waits 5 s of quiet, then analyses"

results_in_pacs() { [ -n "$(ls -A "$out/state/outbox/sent" 2>/dev/null)" ]; }
wait_for 600 "the results in the PACS" results_in_pacs
done_at=$(date +%s.%N)
echo "== results stored in the PACS $(python3 -c "print(f'{$done_at-$acked:.1f}')") s after the last image was acknowledged"
echo
grep -E "event=(acquisition-complete|analysis-started|job-done|send-done)" "$out/ctperfd.log" | sed 's/^/   /'
echo
results=$(find "$out/results" -name metrics.json -printf '%h\n' | head -1)
python3 - "$results" "$out/study" <<'PY'
import json, sys
m = json.load(open(f"{sys.argv[1]}/metrics.json"))["metrics"]
t = json.load(open(f"{sys.argv[2]}/truth/truth.json"))["metrics"]
rows = [("core (mL)", "core_volume_ml", "core_volume_ml"), ("Tmax > 6 s (mL)", "hypoperfusion_volume_ml", "tmax_over6s_volume_ml"),
        ("penumbra (mL)", "penumbra_volume_ml", "penumbra_volume_ml"), ("mismatch ratio", "mismatch_ratio", "mismatch_ratio"),
        ("HIR", "hypoperfusion_intensity_ratio", "hypoperfusion_intensity_ratio"), ("CBV index", "cbv_index_conventional", "cbv_index_conventional")]
print(f"{'':18}{'ctperfd':>10}{'truth':>10}")
for label, a, b in rows:
    va, vb = m.get(a), t.get(b)
    fa = f"{va:10.2f}" if isinstance(va, (int, float)) else f"{'n/a':>10}"
    fb = f"{vb:10.2f}" if isinstance(vb, (int, float)) else f"{'n/a':>10}"
    print(f"{label:18}{fa}{fb}")
PY
echo
echo "== ctperf status --state-dir $out/state"
"$bindir/ctperf" status --state-dir "$out/state" | sed 's/^/   /'
echo
echo "Where everything is:"
echo "  results (NIfTI maps, metrics.json/.csv, QA PNGs): $results"
echo "  in the PACS (Secondary Capture pages + SR):       $out/pacs ($(ls "$out/pacs" | wc -l) objects)"
echo "  node state (spool, jobs, outbox):                 $out/state"
echo "  node log:                                         $out/ctperfd.log"
echo "  phantom truth (maps, masks, truth.json):          $out/study/truth"
echo "== stopping ctperfd and the PACS"
