#!/usr/bin/env bash
# Smoke test of the real desktop window: build the release binary, start it in
# demo mode under Xvfb with a throwaway HOME, screenshot the screen and fail if
# the window is blank (the classic Wails failure: a white page and no error).
# A second check quits (the app saves its window geometry), moves the saved
# window and starts again: the window must come back where it was left.
# A third starts the app again while it runs, with its window hidden: the
# second process must hand over and exit at once, leaving one window, shown.
# A fourth starts it as autostart does (--background): no window until opened again.
# Prints "smoke: N passed, M failed"; keeps the screenshots in artifacts/smoke/.
# SMOKE_BIN=path tests an already built binary (e.g. `make build`'s) instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/smoke
bin=${SMOKE_BIN:-build/bin/chase}
min_colours=${SMOKE_MIN_COLOURS:-400} # blank: 1; "Opening chase.md…": ~160; the shell: >1000
wait_s=${SMOKE_WAIT:-40}
mkdir -p "$out" build/bin
rm -f "$out"/*.png "$out"/*.log "$out/result"

for tool in xvfb-run dbus-run-session import convert python3 xdotool; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool missing; run scripts/setup.sh test" >&2; echo "smoke: 0 passed, 1 failed"; exit 1; }
done

if [ -n "${SMOKE_BIN:-}" ]; then
  [ -x "$bin" ] || { echo "smoke: SMOKE_BIN=$bin is not an executable" >&2; echo "smoke: 0 passed, 1 failed"; exit 1; }
  echo "smoke: testing $bin"
else
  echo "smoke: building the frontend and the release binary"
  (cd frontend && npm run build) >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; echo "smoke: 0 passed, 1 failed"; exit 1; }
  go build -tags desktop,production -o "$bin" .
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp/run"

cat >"$tmp/inner.sh" <<'INNER'
# Runs inside xvfb-run; writes "passed failed" to $OUT/result.
set -u
exec 2>&1 # our messages to the terminal; the bus daemons' chatter goes to dbus.log
colours() { convert "$1" -format '%k' info: 2>/dev/null || echo 0; }
# pixel X Y FILE: "black" for the bare Xvfb root, "window" for anything drawn.
pixel() { convert "$3" -format "%[fx:p{$1,$2}.r+p{$1,$2}.g+p{$1,$2}.b<0.01?0:1]" info: 2>/dev/null | sed 's/^0$/black/;s/^1$/window/'; }
wait_render() { # wait_render PNG: screenshot once a second until the UI has rendered
  for i in $(seq 1 "$WAIT"); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || { echo "smoke: the app exited early (see $OUT/app.log)" >&2; return 1; }
    [ "$i" -lt 3 ] && continue
    import -window root "$1" 2>/dev/null || continue
    if [ "$(colours "$1")" -ge "$MIN" ]; then
      sleep 1 # let fonts and transitions settle, then keep the final picture
      import -window root "$1"
      echo "smoke: window rendered after ${i}s with $(colours "$1") colours"
      return 0
    fi
  done
  echo "smoke: window still blank after ${WAIT}s ($(colours "$1") colours, need $MIN)" >&2
  return 1
}
quit() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
windows() { xdotool search --onlyvisible --class '^chase$' 2>/dev/null | wc -l; }
# second_launch: start the app again while $pid runs; it must exit within 15 s,
# leave $pid running and one visible window. Sets second_rc and second_s.
second_launch() {
  local start=$SECONDS p2
  "$BIN" --demo >>"$OUT/second.log" 2>&1 &
  p2=$!
  for _ in $(seq 1 30); do kill -0 "$p2" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$p2" 2>/dev/null; then
    kill -TERM "$p2"; wait "$p2" 2>/dev/null
    echo "smoke: the second launch did not exit within 15 s" >&2; return 1
  fi
  wait "$p2"; second_rc=$?; second_s=$((SECONDS - start))
  kill -0 "$pid" 2>/dev/null || { echo "smoke: the first instance exited on the second launch" >&2; return 1; }
}

passed=0 failed=0
"$BIN" --demo >"$OUT/app.log" 2>&1 &
pid=$!
if wait_render "$OUT/window.png"; then
  if [ -s "$DB" ]; then passed=$((passed + 1)); else echo "smoke: no demo database at $DB" >&2; failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi

# One instance: hide the window (as closing does with "keep watching folders"
# on), then open chase.md again: the running one shows its window, the new
# process exits (Wails' lock: exit status 1 on Linux, 0 on Windows).
if [ "$(windows)" -eq 1 ]; then
  xdotool windowunmap "$(xdotool search --onlyvisible --class '^chase$' | head -n1)"
  sleep 1
  hidden=$(windows)
  if second_launch; then
    sleep 2
    got=$(windows)
    import -window root "$OUT/second-instance.png" 2>/dev/null || true
    if [ "$hidden" -eq 0 ] && [ "$got" -eq 1 ]; then
      echo "smoke: second launch exited after ${second_s}s (status $second_rc) and brought back the one window"
      passed=$((passed + 1))
    else
      echo "smoke: after the second launch $got visible windows (hidden before: $hidden visible), want 1" >&2
      failed=$((failed + 1))
    fi
  else
    failed=$((failed + 1))
  fi
else
  echo "smoke: $(windows) visible chase windows before the second launch, want 1" >&2
  failed=$((failed + 1))
fi
quit

# Quitting saved the geometry; move it where the default (centred) window never
# reaches, and start again.
if python3 - "$DB" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT value FROM settings WHERE key = 'window'").fetchone()
if not row:
    sys.exit("smoke: no window geometry saved on quit")
g = json.loads(row[0])
g.update(width=980, height=620, x=16, y=200, maximised=False)
db.execute("UPDATE settings SET value = ? WHERE key = 'window'", (json.dumps(g),))
db.commit()
PY
then
  "$BIN" --demo >>"$OUT/app.log" 2>&1 &
  pid=$!
  if wait_render "$OUT/window-restored.png"; then
    # Inside the restored window: (20,210) and (990,810); outside it: (1100,100) and (20,120).
    f=$OUT/window-restored.png
    got="$(pixel 20 210 "$f") $(pixel 990 810 "$f") $(pixel 1100 100 "$f") $(pixel 20 120 "$f")"
    if [ "$got" = "window window black black" ]; then
      echo "smoke: window size and position restored"
      passed=$((passed + 1))
    else
      echo "smoke: window not where it was left (inside, inside, outside, outside: $got)" >&2
      failed=$((failed + 1))
    fi
  else
    failed=$((failed + 1))
  fi
  quit
else
  failed=$((failed + 1))
fi

# Autostart's --background: the app runs (its demo database opens) with no
# window; opening chase.md again shows it.
"$BIN" --demo --background >>"$OUT/app.log" 2>&1 &
pid=$!
sleep 6
if ! kill -0 "$pid" 2>/dev/null; then
  echo "smoke: chase --background exited" >&2; failed=$((failed + 1))
elif [ "$(windows)" -ne 0 ]; then
  echo "smoke: chase --background shows $(windows) windows, want none" >&2; failed=$((failed + 1))
elif second_launch && sleep 2 && [ "$(windows)" -eq 1 ]; then
  echo "smoke: started in the background with no window; opening it again showed the window"
  passed=$((passed + 1))
else
  echo "smoke: opening chase.md again did not show the background instance's window ($(windows) visible)" >&2
  failed=$((failed + 1))
fi
quit
echo "$passed $failed" >"$OUT/result"
INNER

# A private D-Bus session: without one, GTK autolaunches a session bus and an
# accessibility bus that outlive the app.
dbus-run-session -- env \
  HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
  XDG_RUNTIME_DIR="$tmp/run" CHASE_DATA_DIR="$tmp/data/chase.md" NO_AT_BRIDGE=1 \
  BIN="$bin" OUT="$out" WAIT="$wait_s" MIN="$min_colours" DB="$tmp/data/chase.md/demo.db" \
  xvfb-run -a -s "-screen 0 1280x860x24" bash "$tmp/inner.sh" 2>"$out/dbus.log" || true

read -r passed failed <"$out/result" 2>/dev/null || { passed=0; failed=1; }
rm -f "$out/result"
if [ "$failed" -ne 0 ]; then tail -n 20 "$out/app.log" >&2 2>/dev/null || true; fi
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
