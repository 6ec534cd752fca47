#!/usr/bin/env bash
# Builds every release artifact from a clean checkout into target/dist/: the wheels
# (packaging/build-wheel.sh), the archives (packaging/build-archives.sh) and the VSIX files
# (packaging/build-vsix.sh) for every platform, and SHA256SUMS over all of them. Each target is
# compiled once, in release mode, cross-linked by zig.
#
#   packaging/build-all.sh
#
# Needs rustup, cargo, Python 3 with venv, Node.js >= 20 with npm; fetches the rest from
# crates.io, PyPI and npm. Takes 6 to 10 minutes a target on 2 cores. packaging/test-all.sh
# then proves the artifacts work.
set -euo pipefail
source "$(dirname "$0")/common.sh"

rm -rf "$DIST"
bash packaging/build-archives.sh "${ALL_TARGETS[@]}"
bash packaging/build-vsix.sh "${ALL_TARGETS[@]}"
write_checksums
echo "==> target/dist"
cat "$DIST/SHA256SUMS"
