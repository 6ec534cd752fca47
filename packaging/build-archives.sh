#!/usr/bin/env bash
# Builds the prebuilt, stripped release archives of rockcraft-lsp for every supported platform
# on one Linux machine.
#
#   packaging/build-archives.sh [TARGET...]     (default: all targets below)
#
# The binaries come from packaging/build-wheel.sh, which builds each target once (and the
# wheel with it), cross-linked by zig: static Linux binaries (musl), macOS ones for Intel and
# Apple Silicon, a Windows one (GNU ABI, no DLLs beyond Windows' own). Writes
# target/dist/rockcraft-lsp-<version>-<target>.tar.gz (.zip for Windows), each holding one
# folder with the binary, LICENSE and README.md, and target/dist/SHA256SUMS over every artifact
# there.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi
bash packaging/build-wheel.sh "${targets[@]}"

stage_root="$ROOT/target/stage"
for target in "${targets[@]}"; do
    exe=rockcraft-lsp
    case "$target" in *windows*) exe=rockcraft-lsp.exe ;; esac
    name="rockcraft-lsp-$VERSION-$target"
    rm -rf "${stage_root:?}/$name"
    mkdir -p "$stage_root/$name"
    install -m 755 "$TARGET_DIR/$target/release/$exe" "$stage_root/$name/$exe"
    install -m 644 LICENSE README.md "$stage_root/$name/"
    case "$target" in
        *windows*)
            archive="$name.zip"
            rm -f "$DIST/$archive"
            (cd "$stage_root" && python3 -m zipfile -c "$DIST/$archive" "$name")
            ;;
        *)
            archive="$name.tar.gz"
            tar -C "$stage_root" --sort=name --owner=0 --group=0 --numeric-owner \
                -czf "$DIST/$archive" "$name"
            ;;
    esac
    echo "$DIST/$archive"
done
write_checksums
