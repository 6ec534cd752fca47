#!/usr/bin/env bash
# Proves the wheel installs and works: builds it for this machine, installs it into a fresh
# venv, and runs the installed `rockcraft-lsp check examples/errors`, which must print the same
# output and exit with the same code as `cargo run --release -- check examples/errors`.
set -euo pipefail
source "$(dirname "$0")/common.sh"

rm -f target/wheels/rockcraft_lsp-"$VERSION"-*.whl
bash packaging/build-wheel.sh
wheels=(target/wheels/rockcraft_lsp-"$VERSION"-*.whl)
wheel=${wheels[0]}
echo "wheel: $wheel"

# The wheel holds the binary, the licence and the metadata, and no Python code.
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
print("\n".join("  " + n for n in names))
assert any(n.endswith(".data/scripts/rockcraft-lsp") for n in names), "no binary in the wheel"
assert not [n for n in names if n.endswith(".py")], "the wheel must not carry Python code"
assert any(n.endswith("LICENSE") for n in names), "no LICENSE in the wheel"
PY

venv=target/wheel-test-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-index "$wheel"
installed="$venv/bin/rockcraft-lsp"
test -x "$installed"

out=target/wheel-test
mkdir -p "$out"
set +e
"$installed" check examples/errors >"$out/wheel.stdout" 2>"$out/wheel.stderr"
wheel_rc=$?
cargo run -q --release --locked -- check examples/errors >"$out/cargo.stdout" 2>"$out/cargo.stderr"
cargo_rc=$?
set -e

diff -u "$out/cargo.stdout" "$out/wheel.stdout"
diff -u "$out/cargo.stderr" "$out/wheel.stderr"
if [ "$wheel_rc" -ne "$cargo_rc" ]; then
    echo "FAIL: the installed command exited $wheel_rc, cargo run exited $cargo_rc" >&2
    exit 1
fi
echo "installed: $installed"
tail -n 1 "$out/wheel.stdout"
echo "OK: the installed command prints the same $(wc -l <"$out/wheel.stdout") lines as cargo run and exits $wheel_rc too"
