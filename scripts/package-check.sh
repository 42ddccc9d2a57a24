#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh), installs it with apt, checks what
# it installed, removes it and checks it is gone (issue #12). A developer
# task, not part of CI (the release build alone takes ~11 minutes on 2 cores).
#
#   scripts/package-check.sh            # build, install, check, remove
#   scripts/package-check.sh FILE.deb   # the same with a .deb already built
#
# Idempotent: an installed bot-credentials is removed first. Every check
# runs; the script exits non-zero naming each one that failed.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf 'package-check: %s\n' "$*" >&2; }
failures=()
pass() { log "ok: $1"; }
fail() { log "FAILED: $1"; failures+=("$1"); }
check() { # check NAME COMMAND...: runs COMMAND, quiet unless it fails
  local name="$1" output
  shift
  if output="$("$@" 2>&1)"; then pass "$name"; else
    printf '%s\n' "$output" | tail -n 20 >&2
    fail "$name"
  fi
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_get() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get -y -qq "$@"; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# --- the package ------------------------------------------------------------
if [ $# -ge 1 ]; then
  deb="$(realpath "$1")"
else
  if ! build_output="$(scripts/package.sh)"; then
    log "FAILED: scripts/package.sh"
    exit 1
  fi
  printf '%s\n' "$build_output"
  deb="$(printf '%s\n' "$build_output" | tail -n 1)"
fi
[ -f "$deb" ] || { log "FAILED: package.sh's last line is not a file: $deb"; exit 1; }
log "checking $deb ($(du -k "$deb" | cut -f1) KiB)"

# What the checks need: desktop-file-validate, man, xvfb-run and xdotool
# for the window (setup.sh installs those two).
need=()
command -v desktop-file-validate >/dev/null 2>&1 || need+=(desktop-file-utils)
command -v man >/dev/null 2>&1 || need+=(man-db)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt_get update
  apt_get install --no-install-recommends "${need[@]}" >/dev/null
fi

field() { dpkg-deb --field "$deb" "$1"; }
check "Package is bot-credentials" test "$(field Package)" = bot-credentials
depends="$(field Depends)"
log "Depends: $depends"
for dep in libc6 libgtk-3-0 libwebkit2gtk-4.1-0; do
  check "Depends names $dep" grep -q "\\b$dep\\b" <<<"$depends"
done

# --- install ------------------------------------------------------------------
if installed bot-credentials; then
  log "removing the bot-credentials installed before"
  apt_get remove bot-credentials >/dev/null
fi
# apt resolves Depends; a stale package list gets one update and a retry.
if ! apt_get install "$deb" >/dev/null; then
  apt_get update
  apt_get install "$deb" >/dev/null || { log "FAILED: apt-get install $deb"; exit 1; }
fi
check "apt-get install ./$(basename "$deb")" installed bot-credentials
log "installed size: $(dpkg-query -W -f='${Installed-Size}' bot-credentials) KiB"

# --- the binaries -------------------------------------------------------------
check "/usr/bin/bot-credentials --help" sh -c '/usr/bin/bot-credentials --help | grep -q "^Usage: bot-credentials"'
check "/usr/bin/bot-credentials-window is executable" test -x /usr/bin/bot-credentials-window
check "ldd: every library of bot-credentials-window is installed" \
  sh -c '! ldd /usr/bin/bot-credentials-window | grep "not found"'
check "ldd: bot-credentials links no GTK or WebKit" \
  sh -c '! ldd /usr/bin/bot-credentials | grep -Ei "gtk|webkit|soup"'
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/x.sqlite3"
check "bot-credentials --db … org add A" /usr/bin/bot-credentials --db "$db" org add A
check "bot-credentials --db … org list" sh -c "/usr/bin/bot-credentials --db '$db' org list | grep -qw A"

# --- desktop entry, icons, AppStream ------------------------------------------
desktop=/usr/share/applications/bot-credentials.desktop
entry() { sed -n "s/^$1=//p" "$desktop" | head -n 1; }
check "desktop-file-validate $desktop" desktop-file-validate "$desktop"
check "desktop entry: Exec runs bot-credentials" test "$(entry Exec | cut -d' ' -f1)" = bot-credentials
check "desktop entry: Exec is on PATH" sh -c "test \"\$(command -v $(entry Exec | cut -d' ' -f1))\" = /usr/bin/bot-credentials"
check "desktop entry: Terminal=false" test "$(entry Terminal)" = false
for key in Name Comment Icon Categories StartupWMClass; do
  check "desktop entry: $key" test -n "$(entry "$key")"
done
icon="$(entry Icon)"
for size in 32x32 128x128 256x256; do
  check "icon $size/apps/$icon.png" test -s "/usr/share/icons/hicolor/$size/apps/$icon.png"
done
metainfo=/usr/share/metainfo/dev.botcredentials.desktop.metainfo.xml
if command -v appstreamcli >/dev/null 2>&1; then
  check "appstreamcli validate $metainfo" appstreamcli validate --no-net "$metainfo"
else
  check "$metainfo is well-formed XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$metainfo"
fi
check "metainfo launches $(basename "$desktop")" grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" "$metainfo"

# The window, started as the menu would (Exec, through the bot-credentials
# that execs bot-credentials-window), maps a window whose WM_CLASS is the
# entry's StartupWMClass, so docks group it under the entry.
window_check() {
  local class="$1"
  HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
    XDG_CACHE_HOME="$work/home/cache" BOT_CREDENTIALS_DB="$work/window.sqlite3" \
    xvfb-run -a -s "-screen 0 1280x1024x24" sh -c '
      class="$1"
      bot-credentials & pid=$!
      id=""
      for _ in $(seq 1 60); do
        id="$(xdotool search --onlyvisible --classname "^$class\$" 2>/dev/null | head -n 1)"
        [ -n "$id" ] && break
        sleep 0.5
      done
      [ -n "$id" ] && xprop -id "$id" WM_CLASS
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      [ -n "$id" ]' sh "$class"
}
if command -v xvfb-run >/dev/null 2>&1 && command -v xdotool >/dev/null 2>&1 && command -v xprop >/dev/null 2>&1; then
  mkdir -p "$work/home"
  check "the window maps with WM_CLASS $(entry StartupWMClass)" window_check "$(entry StartupWMClass)"
else
  log "skipped: the window's WM_CLASS (needs xvfb-run, xdotool and xprop: scripts/setup.sh installs them)"
fi

# --- man page, completions, copyright ------------------------------------------
man_page=/usr/share/man/man1/bot-credentials.1.gz
check "man page $man_page" sh -c "zcat '$man_page' | grep -q '^\\.TH'"
check "man -w bot-credentials" sh -c "test \"\$(man -w bot-credentials)\" = '$man_page'"
check "man -w bot-credentials-window" man -w bot-credentials-window
bash_completion=/usr/share/bash-completion/completions/bot-credentials
zsh_completion=/usr/share/zsh/vendor-completions/_bot-credentials
fish_completion=/usr/share/fish/vendor_completions.d/bot-credentials.fish
for f in "$bash_completion" "$zsh_completion" "$fish_completion"; do
  check "completion $f" test -s "$f"
done
check "bash loads its completion" bash -c "source '$bash_completion' && complete -p bot-credentials"
copyright=/usr/share/doc/bot-credentials/copyright
check "copyright $copyright" grep -q '^License: MIT' "$copyright"

listed="$(dpkg -L bot-credentials)"
for f in /usr/bin/bot-credentials /usr/bin/bot-credentials-window "$desktop" "$metainfo" \
  "$man_page" "$bash_completion" "$zsh_completion" "$fish_completion" "$copyright" \
  "/usr/share/icons/hicolor/128x128/apps/$icon.png"; do
  check "dpkg -L lists $f" grep -qx "$f" <<<"$listed"
done

# --- remove --------------------------------------------------------------------
if apt_get remove bot-credentials >/dev/null; then pass "apt-get remove bot-credentials"; else
  fail "apt-get remove bot-credentials"
fi
check "not installed after remove" sh -c '! dpkg-query -W -f="\${Status}" bot-credentials 2>/dev/null | grep -q "install ok installed"'
for f in /usr/bin/bot-credentials /usr/bin/bot-credentials-window "$desktop" "$man_page" "$bash_completion"; do
  check "$f is gone" test ! -e "$f"
done

if ((${#failures[@]})); then
  log "${#failures[@]} check(s) failed:"
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
log "all checks passed ($deb)"
