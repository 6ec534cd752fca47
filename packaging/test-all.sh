#!/usr/bin/env bash
# The installer test: proves that every artifact of packaging/build-all.sh works. Each Linux
# one (the archives, the wheel installed with pip, pipx and uvx, the server inside the VSIX;
# aarch64 under qemu-aarch64) must run `check examples/errors` with the same output and exit
# code as `cargo run`; the macOS and Windows binaries must be well-formed executables for their
# platform; every checksum must match.
#
#   packaging/build-all.sh && packaging/test-all.sh
#
# Too slow for every CI run (.ci/run): run it before a release; the release workflow runs it.
set -euo pipefail
source "$(dirname "$0")/common.sh"

(cd "$DIST" && sha256sum -c SHA256SUMS)
bash packaging/test-archives.sh
bash packaging/test-wheel.sh
bash packaging/test-vsix.sh
echo "OK: every artifact in target/dist"
