#!/usr/bin/env bash
# The installed-package check (issue 18): `make package-check` runs it after
# `make bundle`, and `make stress` runs that. Debian/Ubuntu only; needs root
# or sudo (SUDO=sudo), since it installs the package into this machine.
#
#   scripts/package-check.sh TARGET_DIR
#
# 1. Reads both packages in TARGET_DIR/release/bundle: the .deb declares
#    every package dpkg-shlibdeps finds the binary needs, the .rpm every
#    shared library the binary links (and glibc's newest symbol version it
#    uses); each carries the desktop entry (category MedicalSoftware) and the
#    icons; neither binary holds the e2e launch hooks (CIRCLE_E2E_*), so it
#    is the app as shipped.
# 2. Installs the .deb with apt-get (which also installs what it depends on),
#    starts the installed Circle the way its menu entry does under Xvfb
#    through WebDriver (TARGET_DIR/debug/examples/installed_check) and
#    checks it shows the welcome screen.
# 3. Removes the package again, also when a step failed, and prints one line:
#    "package-check: PASS …" or "package-check: FAIL …".
# The .rpm is read, not installed: this is a Debian machine.
set -euo pipefail

target=${1:?usage: scripts/package-check.sh TARGET_DIR}
sudo=${SUDO:-}
check=$target/debug/examples/installed_check
work=$(mktemp -d)
pkg=circle
installed=0
step="finding the packages"
started=$SECONDS

finish() {
  local rc=$?
  set +eu
  local removed=""
  if [ "$installed" = 1 ]; then
    if DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq "$pkg" >/dev/null \
      && ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' \
      && [ ! -e "${app:-/usr/bin/circle}" ]; then
      removed=", removed again"
    else
      removed=", NOT removed: run '$sudo apt-get remove $pkg'"
      rc=1
    fi
  fi
  rm -rf "$work"
  if [ "$rc" = 0 ]; then
    echo "package-check: PASS $pkg $version: $(basename "$deb") (${deb_mib} MiB) installed, ${app} showed the welcome screen under WebDriver, $(basename "$rpm") (${rpm_mib} MiB) read; dependencies declared, desktop entry and icons in both, no e2e hooks${removed} ($((SECONDS - started)) s)"
  else
    echo "package-check: FAIL while ${step}${removed}"
  fi
  exit "$rc"
}
trap finish EXIT

fail() {
  echo "package-check: $*" >&2
  exit 1
}

# The newest of the files named (ls -t: by time; the names are the bundler's, no newlines).
# shellcheck disable=SC2012
newest() { ls -t "$@" 2>/dev/null | head -n 1; }
deb=$(newest "$target"/release/bundle/deb/*.deb)
rpm=$(newest "$target"/release/bundle/rpm/*.rpm)
if [ -z "$deb" ] || [ -z "$rpm" ]; then fail "no .deb or .rpm in $target/release/bundle: run make bundle"; fi
[ -x "$check" ] || fail "$check is missing: make package-check builds it"
pkg=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
deb_mib=$(awk -v b="$(stat -c %s "$deb")" 'BEGIN { printf "%.1f", b / 1048576 }')
rpm_mib=$(awk -v b="$(stat -c %s "$rpm")" 'BEGIN { printf "%.1f", b / 1048576 }')
[ "$(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm" 2>/dev/null)" = "$pkg $version" ] \
  || fail "the .rpm is not $pkg $version: $(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm")"

step="reading the .deb"
mkdir -p "$work/deb/debian" "$work/rpm"
dpkg-deb -x "$deb" "$work/deb"
binary=$work/deb/usr/bin/circle
[ -x "$binary" ] || fail "the .deb has no usr/bin/circle"
# dpkg-shlibdeps wants a debian/control beside it; it prints shlibs:Depends=….
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$pkg" "$pkg" > "$work/deb/debian/control"
needed=$(cd "$work/deb" && dpkg-shlibdeps -O -e usr/bin/circle 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
declared=$(dpkg-deb -f "$deb" Depends)
# Package names only; Ubuntu 24.04's "t64" libraries provide the old names.
names() { sed -E 's/[,|]/\n/g' | sed -E 's/\(.*\)//; s/^ +//; s/ +$//; s/t64$//' | grep -v '^$' | sort -u; }
missing=$(comm -23 <(names <<< "$needed") <(names <<< "$declared"))
[ -z "$missing" ] || fail "the .deb's Depends lacks ${missing//$'\n'/ } (the binary links them; add to bundle.linux.deb.depends in src-tauri/tauri.conf.json)"
echo "deb Depends: $declared"

step="reading the .rpm"
rpm -K "$rpm" >/dev/null || fail "the .rpm's digests do not check out: $(rpm -K "$rpm")"
# rpm2cpio exits 1 on the packages Tauri writes: they carry no ARCHIVESIZE
# header to compare the payload's length with (rpm -K checked its digest).
(cd "$work/rpm" && { rpm2cpio "$rpm" || true; } | cpio -idm --quiet)
[ -x "$work/rpm/usr/bin/circle" ] || fail "the .rpm has no usr/bin/circle"
requires=$(rpm -qpR "$rpm" 2>/dev/null)
sonames=$(objdump -p "$work/rpm/usr/bin/circle" | awk '/NEEDED/ { print $2 }' | sort -u)
for so in $sonames; do
  case $so in
    # glibc's own: the GLIBC_ version requirement below covers them.
    libc.so.6 | libm.so.6 | ld-linux-*) continue ;;
  esac
  grep -qF "$so(" <<< "$requires" || fail "the .rpm's Requires lacks $so (add '$so()(64bit)' to bundle.linux.rpm.depends)"
done
glibc=$(objdump -T "$work/rpm/usr/bin/circle" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
grep -qF "libc.so.6($glibc)(64bit)" <<< "$requires" \
  || fail "the .rpm's Requires lacks libc.so.6($glibc)(64bit), the newest glibc symbol the binary uses"
echo "rpm Requires: $(grep -v '^rpmlib(' <<< "$requires" | paste -sd ' ')"

step="checking the desktop entries, icons and hooks"
for root in "$work/deb" "$work/rpm"; do
  entries=("$root"/usr/share/applications/*.desktop)
  entry=${entries[0]}
  [ -f "$entry" ] || fail "no desktop entry in $root"
  grep -q '^Categories=.*MedicalSoftware;' "$entry" || fail "$(basename "$entry"): Categories lacks MedicalSoftware"
  grep -q '^Exec=circle$' "$entry" || fail "$(basename "$entry"): Exec is not circle"
  grep -q '^Icon=circle$' "$entry" || fail "$(basename "$entry"): Icon is not circle"
  for size in 32x32 64x64 128x128 512x512; do
    [ -f "$root/usr/share/icons/hicolor/$size/apps/circle.png" ] || fail "no $size icon in $root"
  done
  if grep -q 'CIRCLE_E2E_' "$root/usr/bin/circle"; then
    fail "$root/usr/bin/circle holds the e2e launch hooks: it was built with the e2e feature"
  fi
done
echo "desktop entry ($(basename "$entry")):"
sed 's/^/  /' "$entry"

step="installing the .deb"
if dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
  fail "$pkg is already installed on this machine; the check removes what it installs, so remove it first"
fi
installed=1
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$(realpath "$deb")" >/dev/null
dpkg -s "$pkg" | grep -q '^Status: install ok installed' || fail "apt-get did not install $pkg"
desktop=$(dpkg -L "$pkg" | grep '^/usr/share/applications/.*\.desktop$' | head -n 1)
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop"
# What the menu entry runs: its Exec, looked up on PATH as a launcher does.
exec_name=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1 | awk '{ print $1 }')
app=$(command -v "$exec_name") || fail "the menu entry's Exec=$exec_name is not on PATH"
dpkg -L "$pkg" | grep -qxF "$app" || fail "$app is not the packaged binary"

step="starting the installed $app under WebDriver"
timeout --kill-after=30 300 "$check" --app "$app" --version "$version"
step="removing the package"
