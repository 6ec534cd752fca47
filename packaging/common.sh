# Shared set-up of the packaging scripts: the repository root, the crate version, and a Python
# venv under target/ holding maturin (wheels) and ziglang (the cross linker of cargo-zigbuild).
# Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
DIST=${DIST:-$ROOT/target/dist}
VENV=${VENV:-$ROOT/target/pkg-venv}

# Creates the venv on first use and installs the named PyPI packages that are missing.
ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    local missing=()
    for pkg in "$@"; do
        "$VENV/bin/python" -m pip show -q "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        "$VENV/bin/python" -m pip install -q "${missing[@]}"
    fi
    # cargo-zigbuild finds zig as `python3 -m ziglang`: the venv's python must come first.
    export PATH="$VENV/bin:$PATH"
}
