#!/usr/bin/env bash
# Run the extension (a VSIX) inside real VS Code (code-server) in headless Chromium, with its
# self-test switched on. Used by run.sh; adapted from the shared vscode-codeserver rig.
#
#   codeserver.sh TOOLS_DIR VSIX WORKSPACE_DIR SETTINGS_JSON OUT_DIR [TIMEOUT_S]
#
#   TOOLS_DIR      where setup.sh installed code-server and puppeteer-core
#   VSIX           extension package (package.sh)
#   WORKSPACE_DIR  folder opened in the workbench
#   SETTINGS_JSON  VS Code user settings for the run; merged over defaults that turn off
#                  workspace trust, telemetry and the welcome page
#   OUT_DIR        receives ui.json, screenshot.png, code-server.log, and the self-test's
#                  results.json and done (the extension host's env has
#                  ROCKCRAFT_LSP_SELFTEST_OUT=OUT_DIR; the rest of the env passes through)
# Exit: 0 when the extension wrote OUT_DIR/done in time, 1 otherwise, 2 usage.
set -u
[ $# -ge 5 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
tools="$(abspath "$1")"; vsix="$(abspath "$2")"; ws="$(abspath "$3")"; settings="$(abspath "$4")"
out="$(abspath "$5")"; timeout_s="${6:-60}"
cs="$tools/node_modules/.bin/code-server"
[ -x "$cs" ] || { echo "run.sh: no code-server under $tools (run setup.sh)" >&2; exit 2; }

mkdir -p "$out"; rm -f "$out/done" "$out/results.json"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/codeserver-run.XXXXXX")"
mkdir -p "$scratch/data/User" "$scratch/ext"
node -e '
  const fs = require("fs");
  const base = { "security.workspace.trust.enabled": false, "workbench.startupEditor": "none",
                 "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false,
                 "extensions.autoUpdate": false, "update.mode": "none" };
  const user = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  fs.writeFileSync(process.argv[2], JSON.stringify({ ...base, ...user }, null, 2));
' "$settings" "$scratch/data/User/settings.json"

"$cs" --extensions-dir "$scratch/ext" --user-data-dir "$scratch/data" --install-extension "$vsix" \
  >"$out/install.log" 2>&1 || { cat "$out/install.log" >&2; rm -rf "$scratch"; exit 1; }

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export ROCKCRAFT_LSP_SELFTEST_OUT="$out"
# own session/process group, so the extension host and the language server go down with it
setsid "$cs" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --extensions-dir "$scratch/ext" --user-data-dir "$scratch/data" "$ws" \
  >"$out/code-server.log" 2>&1 &
cs_pid=$!
stop() { kill -TERM -- "-$cs_pid" 2>/dev/null; sleep 1; kill -KILL -- "-$cs_pid" 2>/dev/null; rm -rf "$scratch"; }
trap stop EXIT
for _ in $(seq 1 100); do grep -q "HTTP server listening" "$out/code-server.log" 2>/dev/null && break; sleep 0.2; done

CHROMIUM="$(command -v "${CHROMIUM:-chromium}")" || { echo "run.sh: chromium not found" >&2; exit 2; }
export CHROMIUM
timeout -k 5 $((timeout_s + 30)) node "$here/drive.js" "$tools" "http://127.0.0.1:$port/?folder=$ws" "$out" $((timeout_s * 1000))
