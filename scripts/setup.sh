#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Bot
# Credentials. Idempotent: every step checks before it installs.
set -euo pipefail

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev build-essential pkg-config libssl-dev
  xvfb xauth webkit2gtk-driver xdotool fonts-dejavu-core
  gnome-keyring dbus-daemon dbus-bin libsecret-tools age
  python3 sqlite3
)

log() { printf 'setup: %s\n' "$*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
  log "cargo was not found: install the Rust toolchain (rustup, Rust 1.90 or newer) and run this again"
  exit 1
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-driver" ]; then
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    log "installing tauri-driver"
    cargo install tauri-driver --version 2.1.0 --locked --quiet
  fi
fi
