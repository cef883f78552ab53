#!/usr/bin/env bash
# Smoke test of the real desktop window: build the release binary, start it in
# demo mode under Xvfb with a throwaway HOME, screenshot the screen and fail if
# the window is blank (the classic Wails failure: a white page and no error).
# Prints "smoke: N passed, M failed"; keeps the screenshot in artifacts/smoke/.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/smoke
bin=build/bin/chase-md
min_colours=${SMOKE_MIN_COLOURS:-64} # a blank or error-less white window has a handful
wait_s=${SMOKE_WAIT:-40}
mkdir -p "$out" build/bin
rm -f "$out"/*.png "$out"/app.log

for tool in xvfb-run convert; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool missing; run scripts/setup.sh test" >&2; echo "smoke: 0 passed, 1 failed"; exit 1; }
done

echo "smoke: building the frontend and the release binary"
(cd frontend && npm run build --silent >/dev/null)
go build -tags desktop,production -o "$bin" .

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp/run"

# Runs inside xvfb-run: start the app, then screenshot once a second until the
# screen shows enough colours (the UI has rendered) or time runs out.
cat >"$tmp/inner.sh" <<'INNER'
set -u
"$BIN" --demo >"$OUT/app.log" 2>&1 &
pid=$!
ok=1
for i in $(seq 1 "$WAIT"); do
  sleep 1
  if ! kill -0 "$pid" 2>/dev/null; then echo "smoke: the app exited early (see $OUT/app.log)" >&2; break; fi
  [ "$i" -lt 3 ] && continue
  import -window root "$OUT/window.png" 2>/dev/null || continue
  n=$(convert "$OUT/window.png" -format '%k' info: 2>/dev/null || echo 0)
  if [ "$n" -ge "$MIN" ]; then
    sleep 1 # let fonts and transitions settle, then keep the final picture
    import -window root "$OUT/window.png"
    n=$(convert "$OUT/window.png" -format '%k' info:)
    echo "smoke: window rendered after ${i}s with $n colours"
    ok=0
    break
  fi
done
[ "$ok" -ne 0 ] && echo "smoke: window still blank after ${WAIT}s (${n:-0} colours, need $MIN)" >&2
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit "$ok"
INNER

status=0
env -u DBUS_SESSION_BUS_ADDRESS \
  HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
  XDG_RUNTIME_DIR="$tmp/run" CHASE_DATA_DIR="$tmp/data/chase.md" NO_AT_BRIDGE=1 \
  BIN="$bin" OUT="$out" WAIT="$wait_s" MIN="$min_colours" \
  xvfb-run -a -s "-screen 0 1280x860x24" bash "$tmp/inner.sh" || status=$?

if [ "$status" -eq 0 ] && [ -s "$tmp/data/chase.md/demo.db" ]; then
  echo "smoke: demo database created at startup"
  echo "smoke: 1 passed, 0 failed"
else
  [ "$status" -eq 0 ] && echo "smoke: the app rendered but created no demo database" >&2
  tail -n 20 "$out/app.log" >&2 2>/dev/null || true
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi
