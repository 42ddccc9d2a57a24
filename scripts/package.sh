#!/usr/bin/env bash
# Builds the Debian package of Bot Credentials (issue #12) and prints its
# path as the last line of its output.
#
#   scripts/package.sh            # set-up, release build, man page and
#                                 # completions, then the .deb
#
# Idempotent: set-up installs only what is missing, cargo-deb is installed
# once, and an up-to-date release build is reused (cargo-deb runs with
# --no-build). What goes in the package is [package.metadata.deb] in
# src-tauri/cli/Cargo.toml; the desktop entry, AppStream metadata and
# copyright are in packaging/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

log() { printf 'package: %s\n' "$*" >&2; }

scripts/setup.sh

# dpkg-shlibdeps (dpkg-dev) works out Depends from the binaries' libraries;
# without it cargo-deb would quietly write none.
if ! command -v dpkg-shlibdeps >/dev/null 2>&1; then
  log "installing dpkg-dev (dpkg-shlibdeps)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi

if ! cargo deb --version >/dev/null 2>&1; then
  log "installing cargo-deb"
  cargo install cargo-deb --locked
fi

log "release build (cargo build --release --workspace --locked)"
cargo build --release --workspace --locked

metadata="$(cargo metadata --format-version 1 --no-deps --locked)"
meta() { python3 -c "import json, sys; m = json.load(sys.stdin); print($1)" <<<"$metadata"; }
target_dir="$(meta 'm["target_directory"]')"
cli="$target_dir/release/bot-credentials"
for bin in "$cli" "$target_dir/release/bot-credentials-window"; do
  [ -x "$bin" ] || { log "missing after the build: $bin"; exit 1; }
done

# The man page and completions come from the binary being packaged, so they
# always describe its commands. The asset paths in Cargo.toml name this
# folder (ignored by git).
assets="$root/packaging/generated"
rm -rf "$assets"
mkdir -p "$assets"
"$cli" man >"$assets/bot-credentials.1"
"$cli" completions bash >"$assets/bot-credentials.bash"
"$cli" completions zsh >"$assets/_bot-credentials"
"$cli" completions fish >"$assets/bot-credentials.fish"
for f in "$assets"/*; do
  [ -s "$f" ] || { log "generated an empty file: $f"; exit 1; }
done
grep -q '^\.TH' "$assets/bot-credentials.1" || { log "bot-credentials man printed no roff (.TH)"; exit 1; }

out="$target_dir/debian"
mkdir -p "$out"
cli_package='next(p for p in m["packages"] if p["name"] == "bot-credentials-cli")'
version="$(meta "$cli_package[\"version\"]")"
arch="$(dpkg --print-architecture)"
deb="$out/bot-credentials_${version}-1_${arch}.deb"
rm -f "$deb"

log "building the .deb (cargo deb)"
# --no-strip: the release profile already strips (strip = true).
cargo deb -p bot-credentials-cli --no-build --no-strip --output "$deb" >&2

[ -s "$deb" ] || { log "cargo deb made no $deb"; exit 1; }

# cargo-deb takes the synopsis (the Description's first line) from the
# crate's description, written for developers; the package's is the
# AppStream summary, and the extended description is the one in
# [package.metadata.deb]. The package is unpacked, its control file given
# that Description, and packed again (same files, same md5sums).
repack="$(mktemp -d)"
trap 'rm -rf "$repack"' EXIT
dpkg-deb --raw-extract "$deb" "$repack/root"
meta "$cli_package[\"metadata\"][\"deb\"][\"extended-description\"]" >"$repack/extended"
python3 - "$repack/root/DEBIAN/control" packaging/dev.botcredentials.desktop.metainfo.xml "$repack/extended" <<'PY'
import sys, textwrap, xml.etree.ElementTree as ET
control_path, metainfo_path, extended_path = sys.argv[1:]
synopsis = " ".join(ET.parse(metainfo_path).getroot().findtext("summary").split())
extended = " ".join(open(extended_path, encoding="utf-8").read().split())
if not synopsis or len(synopsis) > 80 or not extended:
    sys.exit(f"package: bad synopsis or extended description: {synopsis!r}")
fields, out = open(control_path, encoding="utf-8").read().splitlines(), []
skipping = False
for line in fields:
    if line.startswith("Description:"):
        skipping = True
        out.append("Description: " + synopsis)
        out += [" " + l for l in textwrap.wrap(extended, 79)]
    elif skipping and line[:1] in (" ", "\t"):
        continue
    else:
        skipping = False
        out.append(line)
open(control_path, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
dpkg-deb --root-owner-group --build "$repack/root" "$deb" >/dev/null
log "$(dpkg-deb --field "$deb" Package Version Architecture Installed-Size | tr '\n' ' ')"
log "Depends: $(dpkg-deb --field "$deb" Depends)"
echo "$deb"
