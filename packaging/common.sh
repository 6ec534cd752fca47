# Shared set-up of the packaging scripts: the repository root, the crate version, the release
# targets, a Python venv under target/ holding the pinned tools of packaging/requirements.txt,
# and the helpers of the installer tests. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
# Where cargo (and so maturin) leaves each target's binary: TARGET_DIR/TARGET/release/.
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
DIST=${DIST:-$ROOT/target/dist}
VENV=${VENV:-$ROOT/target/pkg-venv}
# Every platform a release carries: Linux static (musl), macOS, Windows.
ALL_TARGETS=(
    x86_64-unknown-linux-musl
    aarch64-unknown-linux-musl
    x86_64-apple-darwin
    aarch64-apple-darwin
    x86_64-pc-windows-gnu
)

# Creates the venv on first use and installs the pinned tools of packaging/requirements.txt
# (again when that file changes); puts the venv's bin first on PATH.
ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if ! cmp -s packaging/requirements.txt "$VENV/requirements.txt"; then
        "$VENV/bin/python" -m pip install -q -r packaging/requirements.txt
        cp packaging/requirements.txt "$VENV/requirements.txt"
    fi
    # zig is found as `python3 -m ziglang`: the venv's python must come first.
    export PATH="$VENV/bin:$PATH"
}

# The reference every installed binary is compared with: `cargo run -- check examples/errors`
# (the README's first command), run once into $1/cargo.{stdout,stderr,rc}.
cargo_reference() {
    local work=$1
    mkdir -p "$work"
    if [ ! -f "$work/cargo.rc" ]; then
        local rc=0
        cargo run -q --locked -- check examples/errors >"$work/cargo.stdout" 2>"$work/cargo.stderr" || rc=$?
        echo "$rc" >"$work/cargo.rc"
    fi
}

# same_as_cargo WORK LABEL COMMAND...: runs `COMMAND check examples/errors` and fails unless it
# prints the same stdout and stderr and exits with the same code as the cargo_reference in WORK.
same_as_cargo() {
    local work=$1 label=$2
    shift 2
    cargo_reference "$work"
    local rc=0 expected
    expected=$(cat "$work/cargo.rc")
    "$@" check examples/errors >"$work/$label.stdout" 2>"$work/$label.stderr" || rc=$?
    diff -u "$work/cargo.stdout" "$work/$label.stdout"
    diff -u "$work/cargo.stderr" "$work/$label.stderr"
    if [ "$rc" -ne "$expected" ]; then
        echo "FAIL $label: exited $rc, cargo run exited $expected" >&2
        return 1
    fi
    echo "OK $label: the same $(wc -l <"$work/$label.stdout") lines as cargo run, exit $rc"
}

# Prints the path of a qemu-aarch64 that runs aarch64 Linux binaries: the installed one, else
# Debian's qemu-user-static extracted (not installed) into target/qemu with `apt-get download`.
find_qemu_aarch64() {
    local qemu
    qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
    if [ -z "$qemu" ]; then
        qemu="$ROOT/target/qemu/usr/bin/qemu-aarch64-static"
        if [ ! -x "$qemu" ]; then
            mkdir -p "$ROOT/target/qemu"
            (cd "$ROOT/target/qemu" && rm -f ./*.deb && apt-get download qemu-user-static >&2 &&
                dpkg-deb -x qemu-user-static_*.deb .)
        fi
    fi
    echo "$qemu"
}

# Writes $DIST/SHA256SUMS over every artifact in $DIST (archives, wheels, VSIX files), to be
# checked with `sha256sum -c --ignore-missing SHA256SUMS` beside the downloaded files.
write_checksums() {
    (cd "$DIST" && find . -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' -o -name '*.whl' -o -name '*.vsix' \) \
        -printf '%f\n' | LC_ALL=C sort | xargs -r sha256sum >SHA256SUMS)
}

# The VS Code platform (vsce --target) of a release target.
vscode_platform() {
    case "$1" in
        x86_64-unknown-linux-musl) echo linux-x64 ;;
        aarch64-unknown-linux-musl) echo linux-arm64 ;;
        x86_64-apple-darwin) echo darwin-x64 ;;
        aarch64-apple-darwin) echo darwin-arm64 ;;
        x86_64-pc-windows-gnu) echo win32-x64 ;;
        *) echo "no VS Code platform for $1" >&2; return 1 ;;
    esac
}
