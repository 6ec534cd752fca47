#!/usr/bin/env bash
# Build the Zed extension for wasm32-wasip1, as Zed's "Install Dev Extension" does.
#
#   editors/zed/build.sh
#
# Installs the target with `rustup target add wasm32-wasip1` when it is missing. Output:
# <target dir>/wasm32-wasip1/release/rockcraft_lsp_zed.wasm, the target dir being
# $ZED_TARGET_DIR, else $CARGO_TARGET_DIR, else editors/zed/target.
# Exit status: 0 built (the last line names the .wasm), 3 the wasm32-wasip1 target is not
# available and cannot be installed here (nothing built), 1 the build failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target=wasm32-wasip1

has_target() { [ -d "$(rustc --print sysroot 2>/dev/null)/lib/rustlib/$target" ]; }
if ! has_target; then
  if ! command -v rustup >/dev/null 2>&1; then
    echo "the $target target is not installed and rustup is missing: cannot build the Zed extension here"
    exit 3
  fi
  echo "rustup target add $target"
  if ! rustup target add "$target" || ! has_target; then
    echo "the $target target cannot be installed here (rustup target add $target failed): Zed extension not built"
    exit 3
  fi
fi

export CARGO_TARGET_DIR="${ZED_TARGET_DIR:-${CARGO_TARGET_DIR:-$here/target}}"
cd "$here" || exit 1
cargo build --locked --release --target "$target" || exit 1
wasm="$CARGO_TARGET_DIR/$target/release/rockcraft_lsp_zed.wasm"
[ -s "$wasm" ] || { echo "no $wasm after the build"; exit 1; }
echo "built $wasm ($(wc -c <"$wasm") bytes)"
