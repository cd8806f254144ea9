#!/usr/bin/env bash
# The long reliability runs (bounded: a few minutes here): ctperfd killed with SIGKILL 30 times at
# seeded random moments during transfers, analyses and sends, and 8 concurrent 600-image studies
# received while analyses run. Prints the figures for
# docs/RELIABILITY.md. The normal suite (scripts/test.sh) skips these.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export TCP_NODELAY=1 CTPERF_SOAK=1
swift build --build-tests
swift test --filter "KillSoakTests|LoadSoakTests|OutageSoakTests"
