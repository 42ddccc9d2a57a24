#!/usr/bin/env bash
# age-tty.sh PASSPHRASE -- AGE_ARGS...
# Runs `age AGE_ARGS...` with PASSPHRASE typed at each of its passphrase
# prompts, for tests with no terminal (CI, stdin closed). age reads passphrases
# only from /dev/tty, so util-linux `script` (essential on Debian) gives it a
# pseudo-terminal and copies our stdin into it. Exits with age's status.
# Always pass files: `-o OUT IN`. age's stdin/stdout are the pty, so piped
# data would be mixed with prompts (and stdout gets LF -> CRLF).
set -euo pipefail

if [ $# -lt 2 ] || [ "$2" != "--" ]; then
  echo "usage: $0 PASSPHRASE -- AGE_ARGS..." >&2
  exit 2
fi
pass=$1
shift 2

# Control characters would be taken by the tty line discipline (^C, ^U, ^D,
# DEL...) or by age's line reader (\b), and an empty one makes `age -p` invent
# a passphrase: refuse them rather than encrypt with something else.
if [ -z "$pass" ] || [[ "$pass" == *[[:cntrl:]]* ]]; then
  echo "age-tty: passphrase must be non-empty, without control characters" >&2
  exit 2
fi

# How many prompts: decrypting asks once, `-p` encryption asks twice
# (passphrase, confirm). Sending more lines than age reads only delays the end
# (script waits up to 2 s for the pty to drain before it sends EOF).
prompts=1
for a in "$@"; do
  case $a in -d | --decrypt) prompts=1; break ;; -p | --passphrase) prompts=2 ;; esac
done

# Typing ahead is safe: the pty is in canonical mode, so the lines wait in its
# input queue until age opens /dev/tty; age changes echo with TCSETS (no flush)
# and reads one byte at a time up to each newline, so no line is lost or
# swallowed. -E never: the pty does not echo the passphrase into the log.
# -e: exit with age's status. The -c string is run by $SHELL -c: quote for bash.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cmd="exec age$(printf ' %q' "$@")"
status=0
for ((i = 0; i < prompts; i++)); do printf '%s\n' "$pass"; done |
  SHELL=/bin/bash script -q -e -E never -c "$cmd" /dev/null >"$log" 2>&1 || status=$?

# On failure show what age said (prompts and errors went to the pty).
if [ "$status" -ne 0 ]; then
  tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >&2
fi
exit "$status"
