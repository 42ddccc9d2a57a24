#!/usr/bin/env bash
# Runs CMD [ARGS...] against a real, throwaway Secret Service: a private D-Bus
# session bus with gnome-keyring-daemon (secrets component only) whose "login"
# keyring exists, is the default collection and is unlocked, so the keyring
# crate never needs a GUI prompt. Works headless, as root, with stdin closed.
# Exits with CMD's status; leaves no daemon, socket or keyring file behind.
# Needs (apt): dbus-daemon, dbus-bin (dbus-send), gnome-keyring.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

# Private HOME/XDG dirs: keyring files (XDG_DATA_HOME/keyrings), the daemon's
# control socket (XDG_RUNTIME_DIR/keyring) and the bus socket live here, never
# in a real user's home.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/with-keyring.XXXXXX")
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
  XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p -m 700 "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
# No display: any prompt fails at once instead of waiting for an unseen window.
unset DISPLAY WAYLAND_DISPLAY

bus_pid="" keyring_pid=""
cleanup() {
  # Stop only the two daemons we started, by pid, then drop all their files.
  [ -z "$keyring_pid" ] || { kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true; }
  [ -z "$bus_pid" ] || { kill "$bus_pid" 2>/dev/null || true; wait "$bus_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Our own session bus (not dbus-run-session: killed, that one orphans its
# child). As a coprocess it stays our child (stopped and reaped by pid) and
# prints its address on the pipe once it listens.
coproc BUS { exec dbus-daemon --session --nofork --address="unix:path=$tmp/bus" \
  --print-address=1 2>/dev/null </dev/null; }
bus_pid=$BUS_PID
read -r -t 10 DBUS_SESSION_BUS_ADDRESS <&"${BUS[0]}"
export DBUS_SESSION_BUS_ADDRESS

# --unlock reads the password from stdin and, as no keyring exists yet, creates
# the "login" collection with it, unlocked, aliased "default" (so creating an
# item needs no create-collection prompt). --foreground keeps the daemon our
# child so we stop it by pid; its stdout (env lines) is not needed.
printf '%s' "with-keyring-test-password" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>"$tmp/keyring.log" &
keyring_pid=$!

# Wait (max ~10 s) until it owns org.freedesktop.secrets on our bus. Asking
# NameHasOwner does not D-Bus-activate a second, locked daemon.
ready=""
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true' && { ready=1; break; }
  kill -0 "$keyring_pid" 2>/dev/null || { echo "with-keyring: gnome-keyring-daemon died:" >&2; cat "$tmp/keyring.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ready" ] || { echo "with-keyring: no Secret Service on the bus after 10 s" >&2; exit 1; }

# Run CMD in the foreground (it keeps our stdin); keep its status for exit.
status=0
"$@" || status=$?
exit "$status"
