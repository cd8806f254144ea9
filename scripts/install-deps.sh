#!/usr/bin/env bash
# Install the Debian 12 packages ctperf needs to build, run and test.
# Safe to run again: apt-get skips what is installed. Needs root (or sudo).
set -euo pipefail
packages=(
  libdcmtk-dev dcmtk      # DICOM parsing, codecs, networking (and the storescu/dcmdump test peers)
  zlib1g-dev              # .nii.gz
  dicom3tools             # dciodvfy: validates every DICOM object we write
  dcm2niix                # reference DICOM -> NIfTI geometry
  libcairo2-dev fonts-dejavu-core   # QA figures and Secondary Capture pages
  orthanc curl            # a real PACS for the node's end-to-end tests, and its REST client
  python3                 # scripts/demo.sh's number table
  systemd                 # systemd-analyze verify for the unit file (tests)
  dpkg-dev binutils       # scripts/build-deb.sh: dpkg-shlibdeps (the package's Depends) and strip
  adduser procps          # the package test: the .deb's own dependency (dpkg -i does not fetch it), pgrep
  groff-base man-db       # the man pages render without warnings; verify resolves Documentation=man: (tests)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
command -v swift >/dev/null || { echo "install-deps: swift not found on PATH (Swift 6 toolchain needed, e.g. /opt/swift/usr/bin)" >&2; exit 1; }
