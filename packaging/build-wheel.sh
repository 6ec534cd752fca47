#!/usr/bin/env bash
# Builds the Python wheel that only carries the rockcraft-lsp binary (maturin, `bindings = "bin"`
# in pyproject.toml), into target/wheels/.
#
#   packaging/build-wheel.sh                 a wheel for this machine (reuses target/release)
#   packaging/build-wheel.sh TARGET...       wheels for other platforms, cross-linked with zig
#
# Installs maturin (and ziglang for other targets) into a venv under target/ on first use.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if [ "$#" -eq 0 ]; then
    ensure_venv maturin
    maturin build --release --locked --out target/wheels
else
    ensure_venv maturin ziglang
    rustup target add "$@"
    for target in "$@"; do
        maturin build --release --locked --zig --target "$target" --out target/wheels
    done
fi
