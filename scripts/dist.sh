#!/usr/bin/env bash
# Builds the installers into dist/, all from the VERSION file:
#   dist/chase.md_VERSION_amd64.deb                    Linux package (scripts/deb.sh)
#   dist/chase.md-VERSION-windows-amd64-setup.exe      Windows installer (Wails' NSIS, per user)
#   dist/chase.md-VERSION-windows-amd64-portable.zip   chase.exe + README.txt
#   dist/SHA256SUMS
# Expects the frontend built and the Linux release binary in build/bin/chase (make dist does both).
# XERO_CLIENT_ID, UPDATE_FEED_URL and UPDATE_PUBLIC_KEY come in through LDFLAGS (see the Makefile).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(cat VERSION)
ldflags=${LDFLAGS:?LDFLAGS must be set (make dist sets it)}
out=dist
for tool in makensis 7zz; do
  command -v "$tool" >/dev/null || { echo "dist: $tool missing; run scripts/setup.sh dist" >&2; exit 1; }
done
rm -rf "$out" && mkdir -p "$out"

scripts/deb.sh build/bin/chase "$version" "$out"

# Windows: Wails compiles chase.exe with the version resource and icon from
# build/windows/info.json (filled from wails.json), then runs makensis on
# build/windows/installer/project.nsi. -s: the frontend is built; -m: no go mod tidy.
echo "dist: building the Windows installer"
wails build -platform windows/amd64 -nsis -installscope user -s -m -skipbindings -nosyncgomod \
  -ldflags "$ldflags" >"$out/wails-build.log" 2>&1 || { cat "$out/wails-build.log" >&2; exit 1; }
cp build/bin/chase.md-amd64-installer.exe "$out/chase.md-$version-windows-amd64-setup.exe"

zip="$out/chase.md-$version-windows-amd64-portable.zip"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp build/bin/chase.exe "$tmp/chase.exe"
sed "s/@VERSION@/$version/g" build/windows/portable-README.txt | sed 's/$/\r/' >"$tmp/README.txt"
(cd "$tmp" && 7zz a -tzip -mx=9 -bso0 -bsp0 portable.zip chase.exe README.txt)
mv "$tmp/portable.zip" "$zip"
rm -f "$out/wails-build.log"

(cd "$out" && sha256sum -- *.deb *.exe *.zip >SHA256SUMS)
echo "dist: built into $out/:"
ls -l "$out" | tail -n +2
