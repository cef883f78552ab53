#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring,
# so tests use a real Secret Service and never touch (or depend on) the user's own keyring.
#   scripts/with-keyring.sh go test ./...
set -euo pipefail
if [ -z "${CHASE_IN_KEYRING_SESSION:-}" ]; then
  export CHASE_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
# The daemon keeps its keyrings under XDG_DATA_HOME; a fresh folder means a fresh
# "login" collection created and unlocked with this password.
echo -n chase-test | XDG_DATA_HOME="$keyrings" gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
