#!/usr/bin/env bash
# Builds the Python wheels that only carry the rockcraft-lsp binary (maturin, `bindings = "bin"`
# in pyproject.toml), one per platform, into target/dist/. This is also where the release binary
# of each platform is built, once: maturin cross-links with zig (`--zig`, cargo-zigbuild's
# linker wrappers over the `ziglang` wheel from PyPI) and strips it (`strip = true`), leaving it
# at target/TARGET/release/rockcraft-lsp[.exe] for the archives and the VSIX files.
#
#   packaging/build-wheel.sh [TARGET...]     (default: this machine's static Linux target)
#
# Linux targets are static (musl), so each Linux wheel carries both the manylinux and the
# musllinux tags and installs on any Linux of its architecture. Installs maturin and ziglang
# into a venv under target/ and the targets' standard libraries (`rustup target add`) on first
# use.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("$(uname -m)-unknown-linux-musl"); fi
ensure_venv
rustup target add "${targets[@]}"
mkdir -p "$DIST"
for target in "${targets[@]}"; do
    echo "==> wheel for $target"
    compatibility=()
    case "$target" in
        *-linux-musl*) compatibility=(--compatibility manylinux2014 musllinux_1_2) ;;
    esac
    maturin build --release --locked --zig --target "$target" "${compatibility[@]}" --out "$DIST"
done
