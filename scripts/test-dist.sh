#!/usr/bin/env bash
# Checks what `make dist` built in dist/ (make test-dist builds it first):
#   .deb      lintian finds no errors; Depends pulls webkit2gtk and GTK; it holds the binary,
#             the desktop entry and the icon at every standard size; the binary reports VERSION+build
#   setup.exe a valid PE with VERSION in its version resource, asking for no admin rights; 7-Zip lists chase.exe, the
#             uninstaller and the WebView2 bootstrapper; the chase.exe inside is x86-64 with VERSION
#             and the app icon
#   .zip      7-Zip lists chase.exe and README.txt; the chase.exe inside is x86-64 with VERSION
# Prints "test-dist: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

version=$(cat VERSION)
deb=dist/chase.md_${version}_amd64.deb
setup=dist/chase.md-$version-windows-amd64-setup.exe
zip=dist/chase.md-$version-windows-amd64-portable.zip
art=artifacts/dist
mkdir -p "$art"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "test-dist: ok   $1"; passed=$((passed + 1)); }
bad() { echo "test-dist: FAIL $1" >&2; failed=$((failed + 1)); }
check() { # NAME COMMAND...
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/    /' "$tmp/out" >&2; fi
}
has() { grep -qE -- "$2" "$1" || { echo "no line matching '$2' in $1"; return 1; }; }

go build -o "$tmp/pecheck" ./scripts/pecheck || { echo "test-dist: 0 passed, 1 failed (pecheck does not build)"; exit 1; }

# --- Linux package ---
if [ -f "$deb" ]; then
  start=$SECONDS
  if lintian --fail-on error --tag-display-limit 0 "$deb" >"$art/lintian.txt" 2>&1; then ok "lintian: no errors in $deb"; else bad "lintian: errors in $deb"; grep '^E:' "$art/lintian.txt" >&2; fi
  echo "test-dist: lintian took $((SECONDS - start)) s (tags in $art/lintian.txt)"
  dpkg-deb -f "$deb" Depends >"$tmp/depends"
  check "deb Depends declares libwebkit2gtk-4.0-37 and libgtk-3-0" sh -c "grep -q 'libwebkit2gtk-4.0-37' '$tmp/depends' && grep -q 'libgtk-3-0' '$tmp/depends'"
  check "deb Version is $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"
  dpkg-deb -c "$deb" >"$tmp/contents"
  want=(./usr/bin/chase ./usr/share/applications/chase-md.desktop ./usr/share/doc/chase.md/copyright ./usr/share/doc/chase.md/changelog.gz)
  for s in 16 22 24 32 48 64 128 256 512; do want+=("./usr/share/icons/hicolor/${s}x${s}/apps/chase-md.png"); done
  missing=()
  for f in "${want[@]}"; do grep -qE " ${f//./\\.}\$" "$tmp/contents" || missing+=("$f"); done
  check "deb holds the binary, desktop entry, copyright, changelog and 9 icon sizes" test ${#missing[@]} -eq 0 || echo "    missing: ${missing[*]}" >&2
  dpkg-deb -x "$deb" "$tmp/deb"
  check "the packaged icons have the size their folder says" sh -c "for s in 16 48 256 512; do identify -format '%wx%h' '$tmp/deb/usr/share/icons/hicolor/'\$s'x'\$s'/apps/chase-md.png' | grep -qx \"\${s}x\${s}\" || exit 1; done"
  check "desktop entry runs chase with the chase-md icon" sh -c "grep -qx 'Exec=chase' '$tmp/deb/usr/share/applications/chase-md.desktop' && grep -qx 'Icon=chase-md' '$tmp/deb/usr/share/applications/chase-md.desktop'"
  check "packaged binary reports $version plus the build" sh -c "'$tmp/deb/usr/bin/chase' version | grep -qE '^chase\.md $version\+[0-9a-f]{7,}$'"
else
  bad "$deb was not built"
fi

# --- Windows installer ---
if [ -f "$setup" ]; then
  check "installer is a PE file (file)" has <(file -b "$setup") 'PE32 executable.*Nullsoft Installer'
  check "installer carries ProductVersion $version" "$tmp/pecheck" -version "$version" "$setup"
  # RequestExecutionLevel user: the installer's manifest asks Windows for no administrator rights.
  check "installer runs without admin rights (manifest asInvoker)" sh -c "grep -aq 'requestedExecutionLevel level=\"asInvoker\"' '$setup'"
  7zz l "$setup" >"$art/setup-contents.txt" 2>&1
  check "7-Zip lists chase.exe in the installer" has "$art/setup-contents.txt" ' chase\.exe$'
  check "7-Zip lists the uninstaller in the installer" has "$art/setup-contents.txt" ' uninstall\.exe$'
  check "7-Zip lists the WebView2 bootstrapper in the installer" has "$art/setup-contents.txt" 'MicrosoftEdgeWebview2Setup\.exe$'
  mkdir -p "$tmp/setup" && 7zz x -y -bso0 -bsp0 -o"$tmp/setup" "$setup" chase.exe >/dev/null 2>&1
  check "the installer's chase.exe is x86-64 and carries ProductVersion $version" sh -c "'$tmp/pecheck' -version '$version' '$tmp/setup/chase.exe' | grep -q 'PE x86-64'"
  7zz l "$tmp/setup/chase.exe" >"$art/chase-exe-resources.txt" 2>&1
  check "the installer's chase.exe carries the app icon (7-Zip lists its ICON and GROUP_ICON resources)" sh -c "grep -q '/GROUP_ICON/' '$art/chase-exe-resources.txt' && grep -q '/ICON/' '$art/chase-exe-resources.txt'"
else
  bad "$setup was not built"
fi

# --- Windows portable zip ---
if [ -f "$zip" ]; then
  7zz l "$zip" >"$art/zip-contents.txt" 2>&1
  check "7-Zip lists chase.exe and README.txt in the portable zip" sh -c "grep -qE ' chase\.exe$' '$art/zip-contents.txt' && grep -qE ' README\.txt$' '$art/zip-contents.txt'"
  mkdir -p "$tmp/zip" && 7zz x -y -bso0 -bsp0 -o"$tmp/zip" "$zip" >/dev/null 2>&1
  check "the portable chase.exe is x86-64 and carries ProductVersion $version" sh -c "'$tmp/pecheck' -version '$version' '$tmp/zip/chase.exe' | grep -q 'PE x86-64'"
  check "the portable README names version $version" grep -q "chase.md $version for Windows" "$tmp/zip/README.txt"
else
  bad "$zip was not built"
fi

check "SHA256SUMS matches the files" sh -c "cd dist && sha256sum -c --quiet SHA256SUMS"
echo "test-dist: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
