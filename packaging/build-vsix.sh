#!/usr/bin/env bash
# Builds the VS Code extension's VSIX files into target/dist/: one per platform with the
# stripped server inside (extension/server/rockcraft-lsp[.exe]; the marketplace and
# `code --install-extension` pick the file by its target), and the universal one, which finds
# `rockcraft-lsp` on PATH.
#
#   packaging/build-vsix.sh [TARGET...]     (default: all release targets)
#
# Takes each target's binary from target/TARGET/release/ (packaging/build-wheel.sh or
# packaging/build-archives.sh builds them); packages with editors/vscode/package.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi
mkdir -p "$DIST"
for target in "${targets[@]}"; do
    platform=$(vscode_platform "$target")
    exe=rockcraft-lsp
    case "$target" in *windows*) exe=rockcraft-lsp.exe ;; esac
    binary="$TARGET_DIR/$target/release/$exe"
    [ -f "$binary" ] || { echo "error: no $binary: run packaging/build-wheel.sh $target" >&2; exit 1; }
    echo "==> VSIX for $platform"
    bash editors/vscode/package.sh --target "$platform" --server "$binary" \
        --out "$DIST/rockcraft-lsp-$VERSION-$platform.vsix" >/dev/null
done
echo "==> universal VSIX"
bash editors/vscode/package.sh --out "$DIST/rockcraft-lsp-$VERSION.vsix" >/dev/null
ls -la "$DIST"/*.vsix
write_checksums
