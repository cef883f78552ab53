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
rm -f "$out"/*.png "$out"/*.log

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

# One pass: a fresh data directory, `wails dev` with the given environment, then
# the given test files in order. Sets pass_ok/pass_failed.
total_pass=0 total_fail=0
tmp="" pgid=""
stop_dev() {
  # wails dev starts go, the app and vite: end the whole process group.
  if [ -n "$pgid" ]; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
    pgid=""
  fi
  [ -z "$tmp" ] || rm -rf "$tmp"
  tmp=""
}
trap stop_dev EXIT INT TERM

# Keep Go's caches when HOME moves, so the build stays warm.
export GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH)

run_pass() { # NAME "ENV=V ..." FILE...
  local name=$1 envs=$2; shift 2
  # A pass in real mode needs a keyring: E2E_KEYRING=1 runs it in with-keyring.sh's session.
  local session=(dbus-run-session --)
  [ -z "${E2E_KEYRING:-}" ] || session=("$root/scripts/with-keyring.sh")
  tmp=$(mktemp -d)
  local data=$tmp/data/chase.md log=$out/wails-dev-$name.log
  # Exports go where the native save dialog says; no browser can click it, so
  # the demo under wails dev writes them here instead (app/exportdir_dev.go).
  local exports=$tmp/exports
  mkdir -p "$tmp/home" "$tmp/run" "$exports" && chmod 700 "$tmp/run"
  echo "e2e[$name]: starting wails dev on $url (data in $data${envs:+; $envs})"
  # A private D-Bus session: without one, GTK autolaunches a session bus and an
  # accessibility bus that outlive the run.
  # shellcheck disable=SC2086 # $envs is a list of NAME=VALUE words
  setsid "${session[@]}" env HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" \
    CHASE_DATA_DIR="$data" CHASE_EXPORT_DIR="$exports" NO_AT_BRIDGE=1 $envs \
    xvfb-run -a -s "-screen 0 1280x860x24" \
    "$wails" dev -tags e2e -viteservertimeout 120 -s -m -nosyncgomod -noreload -nogorebuild -skipembedcreate -loglevel Warning -nocolour \
    ${E2E_LDFLAGS:+-ldflags "$E2E_LDFLAGS"} -devserver "localhost:$port" >"$log" 2>&1 &
  pgid=$!

  local start=$SECONDS
  until curl -sf -o /dev/null "$url"; do
    kill -0 "$pgid" 2>/dev/null || { tail -n 30 "$log" >&2; fail "wails dev exited early (log: $log)"; }
    # wails dev stays up after a failed Go build, waiting for a change: fail now.
    if grep -q "Build error" "$log"; then tail -n 30 "$log" >&2; fail "the app did not build"; fi
    [ $((SECONDS - start)) -lt "${E2E_START_TIMEOUT:-300}" ] || { tail -n 30 "$log" >&2; fail "wails dev did not answer on $url"; }
    sleep 1
  done
  # The page answers before the Go app has bound its methods; wait for the runtime's IPC.
  until grep -q "Using DevServer URL\|Serving assets from frontend DevServer URL" "$log" 2>/dev/null || [ $((SECONDS - start)) -gt 300 ]; do sleep 1; done
  echo "e2e[$name]: wails dev answered after $((SECONDS - start))s"

  # One node process per file, in the order given (node --test sorts its files).
  local file status tlog p f
  for file in "$@"; do
    status=0 tlog=$out/node-test-$name-$(basename "$file" .test.mjs).log
    # shellcheck disable=SC2086
    (cd frontend && env E2E_URL="$url" E2E_SHOTS="$out" E2E_DATA_DIR="$data" CHASE_EXPORT_DIR="$exports" $envs \
      node --test --test-concurrency=1 --test-reporter=spec "$file") >"$tlog" 2>&1 || status=$?
    cat "$tlog"
    p=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$tlog" | tail -n1)
    f=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$tlog" | tail -n1)
    [ "$status" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1
    total_pass=$((total_pass + ${p:-0})) total_fail=$((total_fail + ${f:-1}))
  done
  stop_dev
}

# The shell test checks the first-run experience, so it runs first on a fresh
# data directory; the others share the backend and continue from there.
files=(e2e/shell.test.mjs)
for f in frontend/e2e/*.test.mjs; do
  case $f in */shell.test.mjs|*/*10k.test.mjs|*/connection.test.mjs|*/signin.test.mjs|*/layout.test.mjs) ;; *) files+=("e2e/${f#frontend/e2e/}") ;; esac
done
# E2E_PASSES picks passes (default all): main, offline, signin, big.
want() { [[ " ${E2E_PASSES:-main offline signin big} " == *" $1 "* ]]; }
if want main; then run_pass main "" "${files[@]}"; fi

# wails dev regenerated frontend/wailsjs from the Go code; the committed copy must match.
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- frontend/wailsjs; then
  echo "e2e: warning: frontend/wailsjs differs from the committed bindings; commit the regenerated files" >&2
fi

# Xero unreachable from the start (every API call dropped, sign-in working, as
# with a closed port in CHASE_XERO_API_URL), then after a good sign-in, then back.
if want offline; then run_pass offline "CHASE_E2E_DEMO_FAULTS=/*.xro/*=drop" e2e/connection.test.mjs; fi

# Sign-in to a Xero that shows its consent page (`chase sandbox`), in real
# mode with a keyring: the copy-link fallback and landing on the organisation choice.
if want signin; then
sb_port=$((port + 1)) sb_client=E2E0123456789ABCDEF0123456789AB
sb_url="http://127.0.0.1:$sb_port"
sb_bin=$(mktemp -d)/chase
go build -o "$sb_bin" . >"$out/sandbox-build.log" 2>&1 || { cat "$out/sandbox-build.log" >&2; fail "chase sandbox did not build"; }
"$sb_bin" sandbox --addr "127.0.0.1:$sb_port" --client-id "$sb_client" >"$out/sandbox.log" 2>&1 &
sb_pid=$!
until curl -s -o /dev/null "$sb_url/connections"; do kill -0 "$sb_pid" 2>/dev/null || fail "chase sandbox exited (log: $out/sandbox.log)"; sleep 0.5; done
# The build carries chase.md's own Xero app (config.BuiltinClientID, as `make
# XERO_CLIENT_ID=…` sets it for a release): nobody types a client ID. It also
# carries a release feed and its public key, as a release would; the feed is
# signed here with a key made for this run and says a newer chase.md is out.
feed_dir=$(mktemp -d) feed_port=$((port + 2))
go run ./scripts/feedsign genkey "$feed_dir/feed.key" >"$feed_dir/pub" 2>"$out/feedsign.log" || fail "feedsign genkey failed (log: $out/feedsign.log)"
feed_pub=$(sed -n 's/^UPDATE_PUBLIC_KEY=//p' "$feed_dir/pub")
printf '{"version":"9.9.9","url":"https://chase.md/download","notes":"Reminders for every client.","published":"%s"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$feed_dir/feed.json"
go run ./scripts/feedsign sign "$feed_dir/feed.key" "$feed_dir/feed.json" 2>>"$out/feedsign.log" || fail "feedsign sign failed (log: $out/feedsign.log)"
# The two feeds chase.md must refuse, for the test to swap in: one changed
# after signing (tampered), one properly signed but published before the feed
# already seen (a replay of an old release).
cp "$feed_dir/feed.json" "$feed_dir/good.json" && cp "$feed_dir/feed.json.sig" "$feed_dir/good.json.sig"
sed 's|https://chase.md/download|https://evil.example/download|' "$feed_dir/feed.json" >"$feed_dir/tampered.json"
cp "$feed_dir/feed.json.sig" "$feed_dir/tampered.json.sig"
printf '{"version":"9.9.8","url":"https://chase.md/download","notes":"An older release.","published":"2020-01-01T09:00:00Z"}\n' >"$feed_dir/stale.json"
go run ./scripts/feedsign sign "$feed_dir/feed.key" "$feed_dir/stale.json" 2>>"$out/feedsign.log" || fail "feedsign sign failed (log: $out/feedsign.log)"
FEED_DIR=$feed_dir FEED_PORT=$feed_port node -e '
  const fs = require("fs"), path = require("path")
  require("http").createServer((req, res) => {
    const name = path.basename(new URL(req.url, "http://x").pathname)
    const f = path.join(process.env.FEED_DIR, name.startsWith("feed.json") ? name : "none")
    fs.readFile(f, (err, b) => { res.writeHead(err ? 404 : 200); res.end(err ? "" : b) })
  }).listen(+process.env.FEED_PORT, "127.0.0.1")' >"$out/feed-server.log" 2>&1 &
feed_srv=$!
E2E_KEYRING=1 E2E_LDFLAGS="-X chase.md/backend/config.BuiltinClientID=$sb_client -X chase.md/backend/config.UpdateFeedURL=http://127.0.0.1:$feed_port/feed.json -X chase.md/backend/config.UpdatePublicKey=$feed_pub" \
  run_pass signin "CHASE_XERO_LOGIN_URL=$sb_url CHASE_XERO_IDENTITY_URL=$sb_url CHASE_XERO_API_URL=$sb_url E2E_SANDBOX_URL=$sb_url E2E_FEED_DIR=$feed_dir" e2e/signin.test.mjs
kill "$sb_pid" "$feed_srv" 2>/dev/null; wait "$sb_pid" "$feed_srv" 2>/dev/null || true
rm -rf "$(dirname "$sb_bin")" "$feed_dir"
fi

# A practice of 10,000 clients: the Clients screen scrolls and searches in Chromium;
# the Chase list of its thousands of jobs is timed, moved, linked and shot at three sizes.
if want big; then run_pass big "CHASE_DEMO_CONTACTS=10000" e2e/clients10k.test.mjs e2e/chase10k.test.mjs e2e/layout.test.mjs; fi

echo "e2e: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
