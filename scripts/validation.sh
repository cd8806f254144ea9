#!/usr/bin/env bash
# Regenerates docs/VALIDATION.md and docs/validation/*.png from the phantom (seeded: the same
# numbers on every run). Extra arguments go to ctperf-validate (e.g. --quick, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
swift run -c release ctperf-validate --out docs "$@"
