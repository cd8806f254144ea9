#!/usr/bin/env bash
# The .deb under a real systemd, for machines whose PID 1 is not systemd (CI containers, where
# DebianPackageTests can only start ctperfd as the service user by hand). Bootstraps a minimal
# Debian 12 root, boots it with systemd-nspawn (private network), and in it: installs the
# package, configures a PACS, `systemctl enable --now ctperfd` (the hardened unit, Type=notify),
# sends a phantom study with storescu and waits for the 6 objects in a storescp PACS, reloads,
# upgrades to a newer version (a running node is restarted, the edited config kept), removes
# (the node is stopped) and purges (config and the enable link gone, received data kept).
#
# usage: scripts/check-deb-systemd.sh [--deb FILE] [--root DIR]
#   --deb FILE   the package (default: build one with scripts/build-deb.sh)
#   --root DIR   where the Debian root goes (default /var/tmp/ctperf-nspawn; reused if present)
# Needs root, network access to deb.debian.org, and installs debootstrap and systemd-container.
# About a minute with the download of the Debian root (debootstrap), 20 s when it is reused.
# Prints PASS or FAIL per check.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
deb=""
root="/var/tmp/ctperf-nspawn"
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb="$2"; shift 2 ;;
    --root) root="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-deb-systemd: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "check-deb-systemd: needs root (debootstrap, systemd-nspawn)" >&2; exit 1; }
[ -c /dev/null ] || { echo "check-deb-systemd: /dev/null is not a character device on this machine; systemd-nspawn refuses to start" >&2; exit 1; }

work="$(mktemp -d /tmp/ctperf-systemd.XXXXXX)"
nspawn_pid=""
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid" 2>/dev/null || true   # nspawn powers the container off
    for _ in $(seq 30); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v debootstrap >/dev/null || ! command -v systemd-nspawn >/dev/null; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap systemd-container >/dev/null
fi
if [ -z "$deb" ]; then
  "$repo/scripts/build-deb.sh" --out "$work/dist"
  deb="$(ls "$work"/dist/*.deb)"
fi
version="$(dpkg-deb --field "$deb" Version)"

if [ ! -x "$root/lib/systemd/systemd" ]; then
  echo "check-deb-systemd: debootstrap bookworm into $root"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,dcmtk,libdcmtk17,libcairo2,adduser,procps,man-db \
    bookworm "$root" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
fi
echo ctperf-check > "$root/etc/hostname"
mkdir -p "$root/var/tmp/check"
cp "$deb" "$root/var/tmp/check/ctperf.deb"
# The next release: the same package with a higher version.
dpkg-deb --raw-extract "$deb" "$work/next"
sed -i "s/^Version: .*/Version: $version+check1/" "$work/next/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$work/next" "$root/var/tmp/check/ctperf-next.deb" >/dev/null

systemd-nspawn -q -D "$root" -b --private-network --register=no --keep-unit > "$work/console.log" 2>&1 &
nspawn_pid=$!
init=""
for _ in $(seq 60); do
  init="$(pgrep -P "$nspawn_pid" | head -1 || true)"
  if [ -n "$init" ]; then
    state="$(nsenter -t "$init" -a systemctl is-system-running 2>/dev/null || true)"
    case "$state" in running|degraded) break ;; esac
  fi
  sleep 1
done
[ -n "$init" ] || { echo "check-deb-systemd: the container did not boot:" >&2; tail -20 "$work/console.log" >&2; exit 1; }
in_container() { nsenter -t "$init" -a -- /bin/bash -c "$1"; }

# A previous run that stopped half-way may have left the package or its data behind.
in_container 'dpkg -P ctperf >/dev/null 2>&1 || true; rm -rf /var/lib/ctperf /var/tmp/pacs /var/tmp/study' >/dev/null 2>&1

failures=0
check() {  # check NAME COMMAND: PASS when the command (run in the container) succeeds
  if in_container "$2" > "$work/check.out" 2>&1; then echo "PASS  $1"; else
    echo "FAIL  $1"; sed 's/^/      /' "$work/check.out"; failures=$((failures + 1)); fi
}

check "install: user, state directory, unit known, not started" '
  dpkg -i /var/tmp/check/ctperf.deb >/dev/null 2>&1 &&
  [ "$(stat -c "%U:%G %a" /var/lib/ctperf)" = "ctperf:ctperf 750" ] &&
  systemctl cat ctperfd.service >/dev/null && ! systemctl is-active -q ctperfd'
check "configure a PACS and check the file" '
  sed -i "s/^quiet_seconds = 20$/quiet_seconds = 3/; s/^min_free_disk_mb = 1024$/min_free_disk_mb = 0/" /etc/ctperf/ctperfd.toml &&
  printf "\n[[destination]]\nname = \"pacs\"\nae_title = \"PACS\"\nhost = \"127.0.0.1\"\nport = 11199\n" >> /etc/ctperf/ctperfd.toml &&
  ctperfd --check-config | grep -q "destinations: pacs"'
check "systemctl enable --now ctperfd: active, READY, as user ctperf" '
  mkdir -p /var/tmp/pacs && systemd-run -q --unit=pacs /usr/bin/storescp -aet PACS -od /var/tmp/pacs +xa 11199 &&
  systemctl enable -q --now ctperfd && systemctl is-active -q ctperfd &&
  [ "$(ps -o user= -p "$(systemctl show -p MainPID --value ctperfd)")" = ctperf ] &&
  systemctl show -p StatusText --value ctperfd | grep -q "associations"'
check "a study sent with storescu comes back as 6 objects in the PACS" '
  ctperf phantom --out /var/tmp/study --matrix 64 --slices 8 --frames 20 >/dev/null &&
  storescu -aec CTPERF +sd +r 127.0.0.1 11112 /var/tmp/study/DICOM &&
  for i in $(seq 120); do [ "$(ls /var/tmp/pacs | wc -l)" -ge 6 ] && break; sleep 1; done &&
  [ "$(ls /var/tmp/pacs | wc -l)" -eq 6 ] && journalctl -u ctperfd -o cat | grep -q "event=send-done"'
check "systemctl reload applies the file" '
  systemctl reload ctperfd && for i in $(seq 20); do journalctl -u ctperfd -o cat | grep -q "event=reloaded" && break; sleep 0.5; done &&
  journalctl -u ctperfd -o cat | grep -q "event=reloaded"'
check "upgrade: running node restarted, edited config kept" '
  before=$(systemctl show -p MainPID --value ctperfd); sum=$(md5sum < /etc/ctperf/ctperfd.toml) &&
  dpkg -i /var/tmp/check/ctperf-next.deb >/dev/null 2>&1 && systemctl is-active -q ctperfd &&
  [ "$(systemctl show -p MainPID --value ctperfd)" != "$before" ] && [ "$(md5sum < /etc/ctperf/ctperfd.toml)" = "$sum" ]'
check "remove: node stopped, conffile kept" '
  dpkg -r ctperf >/dev/null 2>&1 && ! systemctl is-active -q ctperfd && [ -f /etc/ctperf/ctperfd.toml ] && [ ! -e /usr/bin/ctperfd ]'
check "purge: config and enable link gone, received data kept" '
  dpkg -P ctperf >/dev/null 2>&1 && [ ! -e /etc/ctperf ] &&
  [ ! -e /etc/systemd/system/multi-user.target.wants/ctperfd.service ] && [ -d /var/lib/ctperf/results ] &&
  rm -rf /var/lib/ctperf /var/tmp/pacs /var/tmp/study && systemctl stop pacs'

if [ "$failures" -ne 0 ]; then
  echo "check-deb-systemd: $failures check(s) failed; ctperfd's journal:"
  in_container 'journalctl -u ctperfd -o cat --no-pager | tail -30' || true
  exit 1
fi
echo "check-deb-systemd: all checks passed ($version under systemd $(in_container 'systemctl --version | head -1 | cut -d" " -f2'))"
