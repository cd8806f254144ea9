#!/usr/bin/env bash
# Run the whole test suite: installs system packages, builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export TCP_NODELAY=1
# The Debian package from a clean clone of HEAD (release build): DebianPackageTests installs it.
deb_dir="$(mktemp -d /tmp/ctperf-test-deb.XXXXXX)"
trap 'rm -rf "$deb_dir"' EXIT
scripts/build-deb.sh --out "$deb_dir"
export CTPERF_DEB="$(ls "$deb_dir"/*.deb)"
swift build --build-tests
swift test
