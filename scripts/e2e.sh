#!/usr/bin/env bash
# End-to-end tests: the real Svelte frontend with the real Go bindings, in
# headless Chromium.
#
# How: `wails dev` builds the Go app, starts Vite and serves the frontend at
# http://localhost:$E2E_PORT with the Wails runtime injected, so a plain browser
# calls the same Go methods the desktop window does (window.go.app.*). wails dev
# also opens a GTK window, so it runs under Xvfb. The Node tests in
# frontend/e2e/*.test.mjs (node:test + playwright-core driving Debian's
# /usr/bin/chromium) then click through the UI and call the bindings.
# The app gets a fresh, throwaway data directory; screenshots go to artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

port=${E2E_PORT:-34115}
url="http://localhost:$port"
out=$root/artifacts/e2e
wails=$(go env GOPATH)/bin/wails
mkdir -p "$out"
rm -f "$out"/*.png "$out"/wails-dev.log

fail() { echo "e2e: $*" >&2; echo "e2e: 0 passed, 1 failed"; exit 1; }
for f in /usr/bin/chromium "$wails" frontend/node_modules/playwright-core; do
  [ -e "$f" ] || fail "$f missing; run scripts/setup.sh test"
done
for tool in xvfb-run dbus-run-session curl; do
  command -v "$tool" >/dev/null || fail "$tool missing; run scripts/setup.sh test"
done
if curl -s -o /dev/null "$url"; then
  fail "something already listens on $url; stop it or set E2E_PORT"
fi

tmp=$(mktemp -d)
data=$tmp/data/chase.md
mkdir -p "$tmp/home" "$tmp/run" && chmod 700 "$tmp/run"
pgid=""
cleanup() {
  # wails dev starts go, the app and vite: end the whole process group.
  if [ -n "$pgid" ]; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Keep Go's caches when HOME moves, so the build stays warm.
export GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH)
echo "e2e: starting wails dev on $url (data in $data)"
# A private D-Bus session: without one, GTK autolaunches a session bus and an
# accessibility bus that outlive the run.
setsid dbus-run-session -- env HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" \
  CHASE_DATA_DIR="$data" NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1280x860x24" \
  "$wails" dev -s -m -nosyncgomod -noreload -nogorebuild -skipembedcreate -loglevel Warning -nocolour \
  -devserver "localhost:$port" >"$out/wails-dev.log" 2>&1 &
pgid=$!

start=$SECONDS
until curl -sf -o /dev/null "$url"; do
  kill -0 "$pgid" 2>/dev/null || { tail -n 30 "$out/wails-dev.log" >&2; fail "wails dev exited early (log: artifacts/e2e/wails-dev.log)"; }
  # wails dev stays up after a failed Go build, waiting for a change: fail now.
  if grep -q "Build error" "$out/wails-dev.log"; then tail -n 30 "$out/wails-dev.log" >&2; fail "the app did not build"; fi
  [ $((SECONDS - start)) -lt "${E2E_START_TIMEOUT:-300}" ] || { tail -n 30 "$out/wails-dev.log" >&2; fail "wails dev did not answer on $url"; }
  sleep 1
done
# The page answers before the Go app has bound its methods; wait for the runtime's IPC.
until grep -q "Using DevServer URL\|Serving assets from frontend DevServer URL" "$out/wails-dev.log" 2>/dev/null || [ $((SECONDS - start)) -gt 300 ]; do sleep 1; done
echo "e2e: wails dev answered after $((SECONDS - start))s"
# wails dev regenerated frontend/wailsjs from the Go code; the committed copy must match.
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- frontend/wailsjs; then
  echo "e2e: warning: frontend/wailsjs differs from the committed bindings; commit the regenerated files" >&2
fi

status=0
(cd frontend && E2E_URL="$url" E2E_SHOTS="$out" E2E_DATA_DIR="$data" \
  node --test --test-concurrency=1 --test-reporter=spec e2e/) >"$out/node-test.log" 2>&1 || status=$?
cat "$out/node-test.log"

pass=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$out/node-test.log" | tail -n1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$out/node-test.log" | tail -n1)
echo "e2e: ${pass:-0} passed, ${failed:-1} failed"
[ "$status" -eq 0 ] && [ "${failed:-1}" -eq 0 ] && [ "${pass:-0}" -gt 0 ]
