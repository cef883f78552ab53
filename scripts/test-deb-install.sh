#!/usr/bin/env bash
# Installs the .deb into a clean Debian 12 root (debootstrap --variant=minbase: no build tools,
# no GTK, no WebKit) with `apt install ./chase.md_VERSION_amd64.deb`, so apt must pull every
# run-time dependency the package declares; then starts the installed /usr/bin/chase in demo
# mode inside that root, on an Xvfb display of this machine, screenshots it and fails if the
# window is blank. Prints "test-deb-install: N passed, M failed" and each step's seconds.
#   scripts/test-deb-install.sh [DEB]
# The bare root is debootstrapped once into DEBROOT_CACHE (default ~/.cache/chase.md/debroot-bookworm)
# and copied afresh for every run; the packages apt downloads are kept beside it (…-archives) so a
# second run installs the same way without downloading them again. Needs root (chroot, mount; it
# re-runs itself with sudo), debootstrap, Xvfb, ImageMagick.
set -uo pipefail
cd "$(dirname "$0")/.."

version=$(cat VERSION)
deb=${1:-dist/chase.md_${version}_amd64.deb}
cache=${DEBROOT_CACHE:-$HOME/.cache/chase.md/debroot-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
out=artifacts/deb-install
wait_s=${DEB_INSTALL_WAIT:-40}
min_colours=${SMOKE_MIN_COLOURS:-400}
mkdir -p "$out"
rm -f "$out"/*.png "$out"/*.log

fail_all() { echo "test-deb-install: $1" >&2; echo "test-deb-install: 0 passed, 1 failed"; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail_all "needs root (chroot and mount)"
  exec sudo -E "$0" "$@"
fi
[ -f "$deb" ] || fail_all "$deb missing; run make dist"
for tool in debootstrap Xvfb import convert; do
  command -v "$tool" >/dev/null || fail_all "$tool missing; run scripts/setup.sh test"
done

passed=0 failed=0
ok() { echo "test-deb-install: ok   $1"; passed=$((passed + 1)); }
bad() { echo "test-deb-install: FAIL $1" >&2; failed=$((failed + 1)); }
t0=$SECONDS
step() { echo "test-deb-install: $1 took $((SECONDS - t0)) s"; t0=$SECONDS; }

if [ ! -x "$cache/usr/bin/apt-get" ]; then
  echo "test-deb-install: debootstrapping Debian 12 into $cache (once)"
  rm -rf "$cache.part" && mkdir -p "$(dirname "$cache")"
  debootstrap --variant=minbase bookworm "$cache.part" "$mirror" >"$out/debootstrap.log" 2>&1 ||
    { tail -20 "$out/debootstrap.log" >&2; fail_all "debootstrap failed"; }
  mv "$cache.part" "$cache"
  step "debootstrap"
fi

work=$(mktemp -d /tmp/chase-debroot.XXXXXX)
root=$work/root
xvfb_pid=""
mounts=()
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  pkill_root # processes still running from inside the root
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null; done
  # Never rm -rf across a mount that is still there (it would reach the host's /dev).
  if findmnt -rn -o TARGET | grep -q "^$root"; then
    echo "test-deb-install: mounts remain under $root; leaving it" >&2
  else
    rm -rf "$work"
  fi
}
pkill_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  return 0
}
trap cleanup EXIT
bind() { mkdir -p "$root$2" && mount "${@:3}" --bind "$1" "$root$2" && mounts+=("$root$2"); }

cp -a "$cache" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
bind /dev /dev && bind /dev/pts /dev/pts && bind /sys /sys
mkdir -p "$cache-archives/partial"
bind "$cache-archives" /var/cache/apt/archives
cp "$deb" "$root/tmp/"
step "fresh root"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
apt_opts=(-o APT::Sandbox::User=root -o Dpkg::Use-Pty=0 -q)
if in_root apt-get "${apt_opts[@]}" update >"$out/apt.log" 2>&1 &&
  DEBIAN_FRONTEND=noninteractive in_root apt-get "${apt_opts[@]}" install -y --no-install-recommends "./tmp/$(basename "$deb")" >>"$out/apt.log" 2>&1; then
  ok "apt install ./$(basename "$deb") in a clean Debian 12 root pulled its dependencies"
else
  tail -20 "$out/apt.log" >&2
  bad "apt install ./$(basename "$deb") in a clean Debian 12 root"
fi
step "apt install ($(grep -c '^Setting up' "$out/apt.log") packages)"
if ! in_root dpkg-query -W -f='${Status}' libwebkit2gtk-4.0-37 2>/dev/null | grep -q "install ok installed"; then
  bad "libwebkit2gtk-4.0-37 was not installed with the package"
fi
for tool in gcc go make pkg-config; do
  [ -e "$root/usr/bin/$tool" ] && bad "the root has $tool: not a machine without build tools"
done

if in_root chase version | grep -qE "^chase\.md $version\+"; then ok "installed chase reports $version"; else bad "installed chase version: $(in_root chase version 2>&1)"; fi
if [ -f "$root/usr/share/applications/chase-md.desktop" ] && [ -f "$root/usr/share/icons/hicolor/256x256/apps/chase-md.png" ]; then
  ok "desktop entry and icon installed"
else
  bad "desktop entry or icon missing from the installed root"
fi

# The app runs inside the root; the X server is this machine's, reached through the shared socket.
disp=:$((90 + RANDOM % 100))
Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done
bind /tmp/.X11-unix /tmp/.X11-unix
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 DISPLAY="$disp" CHASE_DEMO=1 \
  XDG_RUNTIME_DIR=/tmp /usr/bin/chase --demo >"$out/app.log" 2>&1 &
app_pid=$!
shot=$out/installed-demo.png colours=0
for _ in $(seq "$wait_s"); do
  sleep 1
  kill -0 "$app_pid" 2>/dev/null || break
  import -display "$disp" -window root "$shot" 2>/dev/null || continue
  colours=$(convert "$shot" -format %k info: 2>/dev/null || echo 0)
  [ "$colours" -ge "$min_colours" ] && break
done
if [ "$colours" -ge "$min_colours" ]; then
  ok "the installed app shows its demo window ($colours colours; $shot)"
else
  tail -20 "$out/app.log" >&2
  bad "the installed app's window stayed blank or it exited ($colours colours; see $out/app.log)"
fi
step "start under Xvfb and screenshot"
kill "$app_pid" 2>/dev/null
echo "test-deb-install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
