#!/usr/bin/env bash
# Install the headless VS Code test rig from Debian + npm only (no other downloads):
#   code-server 4.100.3 (= VS Code 1.100.3 server + web workbench; last line on Node 20),
#   Debian chromium (headless browser), puppeteer-core (drives it), @vscode/vsce (packages VSIX).
#
#   setup.sh TOOLS_DIR        (needs root for apt-get; takes ~3-5 minutes)
#
# code-server's own postinstall cannot run offline (@vscode/ripgrep downloads a binary
# from GitHub), so its steps are replayed here with --ignore-scripts and Debian's rg.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 TOOLS_DIR" >&2; exit 2; }
mkdir -p "$1"; tools="$(cd "$1" && pwd)"

[ -f "$tools/.setup-done" ] && [ -x "$tools/node_modules/.bin/code-server" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! command -v c++ >/dev/null \
   || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "setup.sh: needs root for apt-get (chromium ripgrep libkrb5-dev build-essential python3)" >&2; exit 1; }
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends chromium ripgrep libkrb5-dev build-essential python3 >/dev/null
fi

cd "$tools"
[ -f package.json ] || echo '{"private": true}' > package.json
npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 puppeteer-core@24 @vscode/vsce@3

vs="$tools/node_modules/code-server/lib/vscode"
( cd "$vs"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts
  # native modules; node-pty's post-install step fails after pty.node is built (it wants npx
  # node-gyp for compile_commands.json), so the rebuild status is checked by file instead
  npm rebuild @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty || true
  for f in node_modules/node-pty/build/Release/pty.node node_modules/@vscode/spdlog/build/Release/spdlog.node; do
    [ -f "$f" ] || { echo "setup.sh: missing $f" >&2; exit 1; }
  done
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  ln -sfn node_modules node_modules.asar
  ( cd bin/remote-cli && ln -sfn code-linux.sh code-server )
  ( cd bin/helpers && ln -sfn browser-linux.sh browser.sh )
  ( cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts )
)
npm rebuild argon2 --build-from-source
"$tools/node_modules/.bin/code-server" --version
touch "$tools/.setup-done"
