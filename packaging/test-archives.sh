#!/usr/bin/env bash
# Proves the archives from packaging/build-archives.sh are sound: every checksum in SHA256SUMS
# matches; each archive holds one folder with the binary, LICENSE and README.md; the Linux
# binaries are static and stripped, and run `check examples/errors` with the same output and
# exit code as `cargo run` (x86_64 here, aarch64 under qemu-aarch64 from Debian's
# qemu-user-static); the macOS and Windows binaries are well-formed executables for their
# platform (packaging/check-executable.py: they cannot run here).
#
#   packaging/test-archives.sh [TARGET...]     (default: all; after packaging/build-archives.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"

work="$ROOT/target/archive-test"
rm -rf "$work"
mkdir -p "$work"

echo "==> checksums"
(cd "$DIST" && sha256sum -c --ignore-missing SHA256SUMS)

unpack() { # TARGET -> path of the unpacked binary
    local target=$1 exe=rockcraft-lsp name="rockcraft-lsp-$VERSION-$1"
    case "$target" in
        *windows*)
            exe=rockcraft-lsp.exe
            python3 -m zipfile -e "$DIST/$name.zip" "$work"
            ;;
        *) tar -C "$work" -xzf "$DIST/$name.tar.gz" ;;
    esac
    local listed
    listed=$(cd "$work/$name" && ls -A | sort | tr '\n' ' ')
    if [ "$listed" != "$(printf '%s\n' "$exe" LICENSE README.md | sort | tr '\n' ' ')" ]; then
        echo "FAIL: $name holds $listed" >&2
        return 1
    fi
    echo "$work/$name/$exe"
}

stripped() {
    local description
    description=$(file -b "$1")
    echo "   $description"
    case "$description" in *", stripped"*) ;; *)
        echo "FAIL: $1 is not stripped" >&2; return 1 ;; esac
}

cargo_reference "$work"
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi
for target in "${targets[@]}"; do
    echo "==> $target"
    bin=$(unpack "$target")
    case "$target" in
        x86_64-unknown-linux-musl)
            python3 packaging/check-executable.py linux-x86_64 "$bin"
            stripped "$bin"
            same_as_cargo "$work" "$target" "$bin"
            ;;
        aarch64-unknown-linux-musl)
            python3 packaging/check-executable.py linux-aarch64 "$bin"
            stripped "$bin"
            qemu=$(find_qemu_aarch64)
            echo "   under $("$qemu" --version | head -n 1)"
            same_as_cargo "$work" "$target" "$qemu" "$bin"
            ;;
        # Cannot run here: well-formed executables for their platform.
        x86_64-apple-darwin) python3 packaging/check-executable.py macos-x86_64 "$bin" ;;
        aarch64-apple-darwin) python3 packaging/check-executable.py macos-arm64 "$bin" ;;
        x86_64-pc-windows-gnu) python3 packaging/check-executable.py windows-x86_64 "$bin" ;;
        *) echo "FAIL: no test for $target" >&2; exit 1 ;;
    esac
done
echo "OK: the archives of ${targets[*]}"
