#!/usr/bin/env bash
# Proves the VSIX files from packaging/build-vsix.sh are sound: each is well-formed for its
# platform (packaging/check-vsix.py: the server inside and its executable bit, the manifest's
# target, a README whose links work once installed), and the servers of the Linux ones run
# `check examples/errors` with the same output and exit code as `cargo run` (linux-arm64 under
# qemu-aarch64).
#
#   packaging/test-vsix.sh [TARGET...]     (default: all; after packaging/build-vsix.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"

work="$ROOT/target/vsix-test"
rm -rf "$work"
mkdir -p "$work"
cargo_reference "$work"

if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi
python3 packaging/check-vsix.py "$DIST/rockcraft-lsp-$VERSION.vsix" universal
for target in "${targets[@]}"; do
    platform=$(vscode_platform "$target")
    vsix="$DIST/rockcraft-lsp-$VERSION-$platform.vsix"
    python3 packaging/check-vsix.py "$vsix" "$platform"
    case "$platform" in
        linux-x64 | linux-arm64)
            # unzip keeps the mode bits stored in the VSIX, as VS Code's installer does.
            unzip -q -d "$work/$platform" "$vsix" extension/server/rockcraft-lsp
            server="$work/$platform/extension/server/rockcraft-lsp"
            test -x "$server" || { echo "FAIL $platform: the unpacked server is not executable" >&2; exit 1; }
            if [ "$platform" = linux-x64 ]; then
                same_as_cargo "$work" "vsix-$platform" "$server"
            else
                same_as_cargo "$work" "vsix-$platform" "$(find_qemu_aarch64)" "$server"
            fi
            ;;
    esac
done
echo "OK: the VSIX files"
