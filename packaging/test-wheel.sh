#!/usr/bin/env bash
# Proves the wheels install and work. The wheel of this machine's architecture (built by
# packaging/build-wheel.sh when missing) is installed three ways, each of which must then run
# `rockcraft-lsp check examples/errors` with the same output and exit code as `cargo run`: with
# pip into a fresh venv, with `pipx install`, and with `uvx` (pipx and uv from PyPI, into a venv
# under target/; no index is used for the wheel itself). The aarch64 Linux wheel, when built, is
# installed for its platform (`pip install --platform ... --target`) and its command run under
# qemu-aarch64. Every wheel in target/dist must carry only the binary, the licence and metadata,
# and its binary must be a well-formed executable for the wheel's platform (check-executable.py).
#
#   packaging/test-wheel.sh
set -euo pipefail
source "$(dirname "$0")/common.sh"

arch=$(uname -m)
shopt -s nullglob
wheels=("$DIST"/rockcraft_lsp-"$VERSION"-py3-none-manylinux*"_$arch".whl)
if [ "${#wheels[@]}" -eq 0 ]; then
    bash packaging/build-wheel.sh
    wheels=("$DIST"/rockcraft_lsp-"$VERSION"-py3-none-manylinux*"_$arch".whl)
fi
wheel=${wheels[0]}
ensure_venv
work="$ROOT/target/wheel-test"
rm -rf "$work"
mkdir -p "$work"
cargo_reference "$work"

echo "==> the contents of every wheel"
for w in "$DIST"/rockcraft_lsp-"$VERSION"-*.whl; do
    python3 - "$w" <<'PY'
import importlib.util, sys, zipfile
spec = importlib.util.spec_from_file_location("check_executable", "packaging/check-executable.py")
check_executable = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_executable)
wheel = sys.argv[1].rsplit("/", 1)[-1]
names = zipfile.ZipFile(sys.argv[1]).namelist()
data = [n for n in names if ".data/" in n]
expected = "rockcraft-lsp.exe" if "win_" in wheel else "rockcraft-lsp"
assert data == [f"rockcraft_lsp-{wheel.split('-')[1]}.data/scripts/{expected}"], f"{wheel}: {data}"
assert not [n for n in names if n.endswith(".py")], f"{wheel} carries Python code"
assert any(n.endswith("licenses/LICENSE") for n in names), f"{wheel}: no LICENSE"
tag = wheel.removesuffix(".whl").split("-")[-1]
platform = next(p for t, p in [("win_amd64", "windows-x86_64"), ("macosx_", "macos-"), ("linux", "linux-")] if t in tag)
if platform.endswith("-"):
    platform += "arm64" if tag.endswith("arm64") else "aarch64" if tag.endswith("aarch64") else "x86_64"
summary = check_executable.check(platform, zipfile.ZipFile(sys.argv[1]).read(data[0]))
print(f"OK {wheel}: {data[0]}: {platform}: {summary}")
PY
done

echo "==> pip install $(basename "$wheel")"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-index "$wheel"
same_as_cargo "$work" pip "$work/venv/bin/rockcraft-lsp"

echo "==> pipx install"
PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/pipx-bin" PIPX_MAN_DIR="$work/pipx-man" \
    pipx install --pip-args=--no-index "$wheel" >"$work/pipx.log" 2>&1 || { cat "$work/pipx.log"; exit 1; }
same_as_cargo "$work" pipx "$work/pipx-bin/rockcraft-lsp"

echo "==> uvx"
export UV_CACHE_DIR="$work/uv-cache"
same_as_cargo "$work" uvx uvx -q --offline --from "$wheel" rockcraft-lsp

aarch64=("$DIST"/rockcraft_lsp-"$VERSION"-*manylinux*_aarch64*.whl)
if [ "$arch" = x86_64 ] && [ "${#aarch64[@]}" -gt 0 ]; then
    echo "==> pip install $(basename "${aarch64[0]}") for its platform, run under qemu"
    "$work/venv/bin/python" -m pip install -q --no-index --no-deps --only-binary=:all: \
        --platform manylinux2014_aarch64 --target "$work/aarch64" "${aarch64[0]}"
    python3 packaging/check-executable.py linux-aarch64 "$work/aarch64/bin/rockcraft-lsp"
    same_as_cargo "$work" pip-aarch64 "$(find_qemu_aarch64)" "$work/aarch64/bin/rockcraft-lsp"
fi
echo "OK: the wheels"
