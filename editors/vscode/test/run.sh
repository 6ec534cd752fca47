#!/usr/bin/env bash
# End-to-end test of the VS Code extension in real VS Code (code-server 4.100.3 = VS Code
# 1.100.3, in headless Chromium) against the real rockcraft-lsp binary, on a flask project.
# Too heavy for every CI run (~500 MB of tools, ~3-5 min the first time); run it by hand:
#
#   editors/vscode/test/run.sh [--server BINARY] [--tools DIR] [--out DIR] [--screenshots DIR]
#                              [--timeout SECONDS]
#
#   --server BINARY    test this rockcraft-lsp instead of building one with
#                      `cargo build --release --locked` (honours CARGO_TARGET_DIR)
#   --tools DIR        where code-server, Chromium's driver etc. are installed once (setup.sh;
#                      needs root for apt-get the first time). Default:
#                      $ROCKCRAFT_VSCODE_TEST_TOOLS or ~/.cache/rockcraft-lsp/vscode-test
#   --out DIR          results, logs and the screenshots (default editors/vscode/test/out)
#   --screenshots DIR  also copy the screenshots there as vscode-diagnostics.png (the error, its
#                      hover and the Problems panel) and vscode-hover.png (after the quick fix:
#                      the service hover and the expanded project), e.g. editors/vscode/images
#   --timeout SECONDS  for the in-editor self-test (default 150)
#
# Steps: build the server, package a platform-specific VSIX that bundles it (package.sh
# --target), install it into a scratch code-server profile, open a copy of test/fixture/flask,
# and let the extension's self-test (switched on by ROCKCRAFT_LSP_SELFTEST_OUT) check
# diagnostics, completion, hover, a quick fix, the expanded-project view and restart through
# VS Code's own commands. Prints one PASS/FAIL line per check and `N passed, N failed`.
# Exit: 0 all passed, 1 a check failed, 2 usage or setup error.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ext="$(cd "$here/.." && pwd)"
repo="$(cd "$ext/../.." && pwd)"
server="" tools="${ROCKCRAFT_VSCODE_TEST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/rockcraft-lsp/vscode-test}"
out="$here/out" shots="" timeout_s=150
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="${2:?}"; shift 2 ;;
    --tools) tools="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --screenshots) shots="${2:?}"; shift 2 ;;
    --timeout) timeout_s="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
out="$(abspath "$out")"; tools="$(abspath "$tools")"
[ -z "$shots" ] || shots="$(abspath "$shots")"
step() { printf '== %s\n' "$*"; }
die() { echo "run.sh: $*" >&2; exit 2; }

if [ -z "$server" ]; then
  step "building rockcraft-lsp (cargo build --release --locked)"
  ( cd "$repo" && cargo build --release --locked ) || die "cargo build failed"
  server="${CARGO_TARGET_DIR:-$repo/target}/release/rockcraft-lsp"
fi
server="$(abspath "$server")"
[ -x "$server" ] || die "no server binary at $server"
"$server" --version || die "$server --version failed"

step "test tools in $tools"
mkdir -p "$(dirname "$tools")" || die "cannot create $(dirname "$tools")"
"$here/setup.sh" "$tools" >"$tools.setup.log" 2>&1 || { tail -20 "$tools.setup.log" >&2; die "setup.sh failed (log: $tools.setup.log)"; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=linux-x64 ;;
  Linux-aarch64|Linux-arm64) target=linux-arm64 ;;
  *) die "unsupported platform $(uname -sm) (code-server rig is Linux only)" ;;
esac
rm -rf "$out"; mkdir -p "$out"
step "packaging the extension for $target with the server bundled"
"$ext/package.sh" --target "$target" --server "$server" --out "$out/rockcraft-lsp-$target.vsix" \
  >"$out/package.log" 2>&1 || { tail -20 "$out/package.log" >&2; die "package.sh failed (log: $out/package.log)"; }

ws="$out/workspace/flask"
mkdir -p "$ws"; cp -R "$here/fixture/flask/." "$ws/"
cp "$here/fixture/Packages" "$here/fixture/Packages2" "$out/workspace/"   # for rockcraft.packages.indexFiles
cat >"$out/settings.json" <<'EOF'
{
  "workbench.colorTheme": "Default Dark Modern",
  "editor.fontSize": 14,
  "editor.minimap.enabled": false,
  "workbench.tips.enabled": false,
  "workbench.layoutControl.enabled": false,
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "git.enabled": false,
  "files.autoSave": "off",
  "extensions.ignoreRecommendations": true,
  "rockcraft.packages.indexFiles": ["${workspaceFolder}/../Packages"]
}
EOF

step "running VS Code (code-server) with the self-test"
# the bundled server must be the one found: no override from the caller's environment
env -u ROCKCRAFT_LSP_PATH -u ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS \
  ROCKCRAFT_LSP_SELFTEST_EXPECT_SOURCE=bundled \
  "$here/codeserver.sh" "$tools" "$out/rockcraft-lsp-$target.vsix" "$ws" "$out/settings.json" "$out" "$timeout_s" \
  >"$out/codeserver.out" 2>&1
cs_status=$?

if [ -n "$shots" ]; then
  mkdir -p "$shots"
  [ ! -f "$out/screenshot.png" ] || cp "$out/screenshot.png" "$shots/vscode-diagnostics.png"
  [ ! -f "$out/hover.png" ] || cp "$out/hover.png" "$shots/vscode-hover.png"
fi

node - "$out" "$cs_status" <<'EOF'
const fs = require('fs');
const path = require('path');
const [out, csStatus] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')); } catch { return undefined; } };
const results = read('results.json');
const ui = read('ui.json') || {};
const checks = (results && results.checks) || [];
if (!results) checks.push({ name: 'self-test wrote results.json', ok: false, detail: `code-server run exited ${csStatus}; see ${out}/codeserver.out, code-server.log` });
if (!ui.extension_finished) checks.push({ name: 'self-test finished in time', ok: false, detail: `see ${out}/code-server.log` });
const status = String(ui.problems_status || '');
const m = /Errors?:\s*(\d+)/i.exec(status);
checks.push({ name: 'status bar shows the error', ok: !!m && Number(m[1]) >= 1, detail: status || 'no status.problems element' });
for (const f of ['hover.png', 'screenshot.png']) {
  const shot = path.join(out, f);
  checks.push({ name: `screenshot ${f}`, ok: fs.existsSync(shot) && fs.statSync(shot).size > 10000, detail: shot });
}
let passed = 0, failed = 0;
for (const c of checks) {
  if (c.ok) passed++; else failed++;
  console.log(`${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${String(c.detail).split('\n').join(' | ')}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
EOF
