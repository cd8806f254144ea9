#!/usr/bin/env bash
# Run the whole test suite: installs system packages, builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export TCP_NODELAY=1
swift build --build-tests
swift test
