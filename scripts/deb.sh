#!/usr/bin/env bash
# Builds the Linux package dist/chase.md_VERSION_amd64.deb from a release binary with dpkg-deb:
# the binary in /usr/bin, the desktop entry, the icon at the standard hicolor sizes (made here
# from build/appicon.png with ImageMagick), copyright and changelog, and the run-time
# dependencies declared so `apt install ./chase.md_VERSION_amd64.deb` pulls webkit2gtk.
#   scripts/deb.sh BINARY VERSION [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:?usage: scripts/deb.sh BINARY VERSION [OUTDIR]}
version=${2:?usage: scripts/deb.sh BINARY VERSION [OUTDIR]}
out=${3:-dist}
pkg=chase.md
arch=amd64
for tool in dpkg-deb convert gzip; do
  command -v "$tool" >/dev/null || { echo "deb: $tool missing; run scripts/setup.sh dist" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "deb: $bin is not an executable" >&2; exit 1; }

# The changelog's date is the commit's, so the same commit builds the same package.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
umask 022

install -D -m 0755 "$bin" "$root/usr/bin/chase"
install -D -m 0644 build/linux/chase-md.desktop "$root/usr/share/applications/chase-md.desktop"
for s in 16 22 24 32 48 64 128 256 512; do
  d="$root/usr/share/icons/hicolor/${s}x${s}/apps"
  mkdir -p "$d"
  convert build/appicon.png -resize "${s}x${s}" -strip "PNG32:$d/chase-md.png"
done
install -d "$root/usr/share/man/man1"
gzip -9n <build/linux/deb/chase.1 >"$root/usr/share/man/man1/chase.1.gz"
chmod 0644 "$root/usr/share/man/man1/chase.1.gz"
doc="$root/usr/share/doc/$pkg"
install -D -m 0644 build/linux/deb/copyright "$doc/copyright"
{
  echo "$pkg ($version) stable; urgency=medium"
  echo
  echo "  * Release $version of chase.md."
  echo
  echo " -- chase.md maintainers <maintainers@chase.md>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: $pkg
Version: $version
Architecture: $arch
Maintainer: chase.md maintainers <maintainers@chase.md>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.34), libgtk-3-0 (>= 3.24), libwebkit2gtk-4.0-37 (>= 2.38), libglib2.0-0 (>= 2.74)
Recommends: gnome-keyring
Section: misc
Priority: optional
Homepage: https://chase.md
Description: chase clients for their documents and file them in Xero
 chase.md is a desktop app for accounting practices on Xero and Xero
 Practice Manager: it lists the clients who still owe documents and files
 scans and uploads to Xero Files, attached to the right contact.
 .
 Sign-in tokens are kept in the desktop keyring (Secret Service).
CONTROL
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/${pkg}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1))"
