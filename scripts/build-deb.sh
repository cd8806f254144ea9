#!/usr/bin/env bash
# Build the Debian package ctperf_<version>_<arch>.deb from a clean clone of this repository's
# HEAD: release build with the Swift runtime linked statically (the package needs only Debian's
# own libraries: libdcmtk17, libcairo2, zlib1g ... as computed by dpkg-shlibdeps), assembled
# with dpkg-deb. Nothing is installed; see docs/INSTALL.md for what to do with the file.
#
# usage: scripts/build-deb.sh [--out DIR] [--version VERSION] [--worktree]
#   --out DIR          where the .deb goes (default: dist/ in the repository)
#   --version VERSION  Debian version (default: <ctperf version>-1, e.g. 0.1.0-1)
#   --worktree         package the working tree as it is (uncommitted changes included)
#                      instead of a clean clone of HEAD
# Needs the build dependencies (scripts/install-deps.sh) and the Swift 6 toolchain.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/dist"
version=""
from_worktree=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --worktree) from_worktree=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for tool in git swift dpkg-deb dpkg-shlibdeps strip gzip; do
  command -v "$tool" >/dev/null || {
    echo "build-deb: '$tool' not found — run scripts/install-deps.sh (dpkg-dev, binutils) and put the Swift toolchain on PATH" >&2
    exit 1
  }
done

work="$(mktemp -d /tmp/ctperf-deb.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The source: a clean clone of HEAD, so the package is exactly what is committed.
if [ "$from_worktree" -eq 1 ]; then
  src="$repo"
  scratch="$repo/.build-deb"
else
  [ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
    echo "build-deb: note: uncommitted changes are not packaged (clean clone of HEAD; --worktree packages them)" >&2
  git clone --quiet --no-local "$repo" "$work/src"
  git -C "$work/src" checkout --quiet "$(git -C "$repo" rev-parse HEAD)"
  src="$work/src"
  scratch="$work/src/.build"
fi
revision="$(git -C "$src" rev-parse --short HEAD)"

upstream="$(sed -n 's/.*static let string = "\([^"]*\)".*/\1/p' "$src/Sources/Outputs/MetricsDocument.swift")"
[ -n "$upstream" ] || { echo "build-deb: cannot read the ctperf version from Sources/Outputs/MetricsDocument.swift" >&2; exit 1; }
[ -n "$version" ] || version="$upstream-1"
arch="$(dpkg --print-architecture)"

echo "build-deb: ctperf $version ($arch) from $revision: release build (a few minutes on 2 cores)"
# Debian's hardening for daemons: full RELRO (-z relro -z now) and _FORTIFY_SOURCE in the C/C++ shims.
hardening=(-Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now -Xcc -D_FORTIFY_SOURCE=2 -Xcxx -D_FORTIFY_SOURCE=2)
for product in ctperf ctperfd; do
  swift build --package-path "$src" --scratch-path "$scratch" -c release --static-swift-stdlib "${hardening[@]}" \
    --product "$product"
done
bin="$(swift build --package-path "$src" --scratch-path "$scratch" -c release "${hardening[@]}" --show-bin-path)"

# The file tree, as installed.
root="$work/root"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/etc/ctperf" "$root/lib/systemd/system" \
  "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" "$root/usr/share/doc/ctperf" \
  "$root/usr/share/man/man1" "$root/usr/share/man/man5" "$root/usr/share/man/man8"
for product in ctperf ctperfd; do
  install -m 0755 "$bin/$product" "$root/usr/bin/$product"
  strip --strip-all --remove-section=.comment "$root/usr/bin/$product"
done
install -m 0644 "$src/config/ctperfd.toml" "$root/etc/ctperf/ctperfd.toml"
install -m 0644 "$src/systemd/ctperfd.service" "$root/lib/systemd/system/ctperfd.service"
install -m 0644 "$src/systemd/ctperf.sysusers.conf" "$root/usr/lib/sysusers.d/ctperf.conf"
install -m 0644 "$src/systemd/ctperf.tmpfiles.conf" "$root/usr/lib/tmpfiles.d/ctperf.conf"
for page in ctperf.1 ctperfd.toml.5 ctperfd.8; do
  section="${page##*.}"
  gzip -9n -c "$src/man/$page" > "$root/usr/share/man/man$section/$page.gz"
  chmod 0644 "$root/usr/share/man/man$section/$page.gz"
done
doc="$root/usr/share/doc/ctperf"
install -m 0644 "$src/README.md" "$doc/README.md"
for f in "$src"/docs/*.md; do install -m 0644 "$f" "$doc/$(basename "$f")"; done
if [ -d "$src/docs/validation" ]; then
  install -d -m 0755 "$doc/validation"
  for f in "$src"/docs/validation/*; do install -m 0644 "$f" "$doc/validation/"; done
fi
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: ctperf"
  echo
  echo "Files: *"
  echo "Copyright: $(sed -n 's/^Copyright (c) //p' "$src/LICENSE")"
  echo "License: Expat"
  sed -e '1,/^Copyright/d' -e 's/^$/./' -e 's/^/ /' "$src/LICENSE"
} > "$doc/copyright"
{
  echo "ctperf ($version) unstable; urgency=medium"
  echo
  echo "  * Built from commit $revision by scripts/build-deb.sh."
  echo
  echo " -- ctperf maintainers <maintainers@ctperf.invalid>  $(date -R -d "@$(git -C "$src" log -1 --format=%ct)")"
} | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.Debian.gz"

# Shared-library dependencies of the two binaries, as Debian computes them (libdcmtk17 ...).
mkdir -p "$work/shlibs/debian"
printf 'Source: ctperf\n\nPackage: ctperf\nArchitecture: any\n' > "$work/shlibs/debian/control"
if ! (cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/ctperf" "$root/usr/bin/ctperfd") \
    > "$work/shlibs/out" 2> "$work/shlibs/err"; then
  echo "build-deb: dpkg-shlibdeps failed:" >&2; cat "$work/shlibs/err" >&2; exit 1
fi
shlibs="$(sed -n 's/^shlibs:Depends=//p' "$work/shlibs/out")"
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; cat "$work/shlibs/err" >&2; exit 1; }
case "$shlibs" in *libdcmtk17*) ;; *) echo "build-deb: expected libdcmtk17 among the dependencies, got: $shlibs" >&2; exit 1 ;; esac

install -d -m 0755 "$root/usr/share/lintian/overrides"
install -m 0644 "$src/packaging/lintian-overrides" "$root/usr/share/lintian/overrides/ctperf"

# Maintainer scripts and the control file.
install -m 0755 "$src/packaging/postinst" "$src/packaging/prerm" "$src/packaging/postrm" "$root/DEBIAN/"
echo "/etc/ctperf/ctperfd.toml" > "$root/DEBIAN/conffiles"
installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$shlibs, adduser/" \
    -e "s/@INSTALLED_SIZE@/$installed_kb/" "$src/packaging/control.in" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
  xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/ctperf_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "build-deb: $deb ($(du -h "$deb" | cut -f1); Depends: $shlibs, adduser)"
