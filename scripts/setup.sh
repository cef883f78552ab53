#!/usr/bin/env bash
# Installs what chase.md needs on a Debian/Ubuntu machine, only what is missing.
#   scripts/setup.sh build   toolchain for the app (gtk/webkit headers, wails CLI, npm packages)
#   scripts/setup.sh dist    build + what `make dist` needs (makensis, 7-Zip, ImageMagick)
#   scripts/setup.sh test    build + dist + what the tests need (Xvfb, Chromium, gnome-keyring, dbus, lintian)
# It says what it installs and uses sudo only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.15.0
mode=${1:-build}

build_pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev)
dist_pkgs=(nsis 7zip imagemagick)
test_pkgs=(xvfb xauth imagemagick dbus dbus-x11 gnome-keyring libsecret-tools chromium fonts-noto-color-emoji fonts-dejavu-core xdotool desktop-file-utils lintian file debootstrap)

pkgs=("${build_pkgs[@]}")
[ "$mode" = dist ] || [ "$mode" = test ] && pkgs+=("${dist_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A package can be "installed" while its files were deleted by hand: check the
# files the build and the tests open, and reinstall their package if one is gone.
need() { [[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1"); }
need_file() { [ -e "$2" ] || need "$1"; } # PACKAGE FILE
need_file libwebkit2gtk-4.0-dev /usr/include/webkitgtk-4.0/webkit2/webkit2.h
pkg-config --exists webkit2gtk-4.0 2>/dev/null || need libwebkit2gtk-4.0-dev
need_file libgtk-3-dev /usr/include/gtk-3.0/gtk/gtk.h
if [ "$mode" = test ]; then
  need_file chromium /usr/bin/chromium
  need_file xvfb /usr/bin/Xvfb
  need_file gnome-keyring /usr/bin/gnome-keyring-daemon
  need_file lintian /usr/bin/lintian
  need_file debootstrap /usr/sbin/debootstrap
fi
if [ "$mode" = dist ] || [ "$mode" = test ]; then
  need_file nsis /usr/bin/makensis
  need_file 7zip /usr/bin/7zz
fi

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing ${missing[*]} and no apt-get here; install them with your package manager" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --reinstall "${missing[@]}" >/dev/null
fi

GOBIN=$(go env GOPATH)/bin
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "${WAILS_VERSION}"; then
  echo "setup: installing the wails CLI ${WAILS_VERSION} into $GOBIN"
  go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
fi

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from frontend/package-lock.json"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
