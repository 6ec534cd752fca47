#!/usr/bin/env bash
# Build the VS Code extension package (VSIX), offline.
#
#   editors/vscode/package.sh [--target TARGET [--server BINARY]] [--out FILE]
#
#   (no --target)     a universal VSIX without a server: users need rockcraft-lsp on PATH or
#                     the rockcraft.server.path setting
#   --target TARGET   a platform-specific VSIX (vsce targets: linux-x64, linux-arm64,
#                     darwin-arm64, darwin-x64, win32-x64, …) with the server bundled as
#                     server/rockcraft-lsp[.exe]; the binary is BINARY, by default
#                     ${CARGO_TARGET_DIR:-<repo>/target}/release/rockcraft-lsp (build it first
#                     with `cargo build --release --locked`; for another platform, cross-build it
#                     and pass --server)
#   --out FILE        where to write the VSIX (default: rockcraft-lsp-<version>[-<target>].vsix
#                     in editors/vscode/)
#
# Installs the npm dependencies from package-lock.json (npm ci) when node_modules is missing;
# `vsce package` runs the `vscode:prepublish` script (type check + esbuild bundle). The VSIX
# carries the repository's LICENSE and a README whose links to repository files are absolute
# (packaged-readme.js): to the repository named by $ROCKCRAFT_LSP_REPOSITORY, else by
# `repository` in Cargo.toml, else by GitHub Actions ($GITHUB_SERVER_URL/$GITHUB_REPOSITORY),
# at $ROCKCRAFT_LSP_REF (default: the tag in a release build on a tag, else HEAD).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="" server="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    --server) server="${2:?--server needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -z "$server" ] || [ -n "$target" ] || { echo "package.sh: --server needs --target" >&2; exit 2; }
case "$out" in ""|/*) ;; *) out="$PWD/$out" ;; esac

cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

rm -rf server packaged LICENSE
trap 'rm -rf "$here/server" "$here/packaged" "$here/LICENSE"' EXIT
cp "$repo/LICENSE" LICENSE
repository="${ROCKCRAFT_LSP_REPOSITORY:-$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)}"
if [ -z "$repository" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
  repository="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY"
fi
ref="${ROCKCRAFT_LSP_REF:-HEAD}"
if [ -z "${ROCKCRAFT_LSP_REF:-}" ] && [ "${GITHUB_REF_TYPE:-}" = tag ]; then
  ref="$GITHUB_REF_NAME"
fi
mkdir -p packaged
node packaged-readme.js README.md packaged/README.md "$repository" "$ref"
args=(package --no-dependencies --allow-missing-repository --no-rewrite-relative-links
  --readme-path packaged/README.md)
version="$(node -p 'require("./package.json").version')"
if [ -n "$target" ]; then
  exe=rockcraft-lsp
  case "$target" in win32-*) exe=rockcraft-lsp.exe ;; esac
  if [ -z "$server" ]; then
    server="${CARGO_TARGET_DIR:-$repo/target}/release/$exe"
  fi
  [ -f "$server" ] || { echo "package.sh: no server binary at $server (cargo build --release --locked, or --server PATH)" >&2; exit 1; }
  mkdir -p server
  cp "$server" "server/$exe"
  chmod 755 "server/$exe"
  args+=(--target "$target")
  out="${out:-$here/rockcraft-lsp-$version-$target.vsix}"
else
  out="${out:-$here/rockcraft-lsp-$version.vsix}"
fi
args+=(--out "$out")

npx --no-install vsce "${args[@]}"
echo "$out"
