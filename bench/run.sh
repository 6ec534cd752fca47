#!/usr/bin/env bash
# Benchmarks the release server with lspbench: start-up, open/edit -> first and complete
# diagnostics (and how many publishes each edit gets), bursts, completion/hover latency (idle
# and sent right after an edit) and peak RSS on the init template, the error sample and a
# generated 22k-line file. Usage: bench/run.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="$PWD/target/release/rockcraft-lsp"
fi
OUT="$PWD/target/bench"
mkdir -p "$OUT/large"
python3 bench/gen_large.py -o "$OUT/large/rockcraft.yaml"
run() { # name file edits extra-args...
  local name=$1 file=$2 edits=$3; shift 3
  python3 bench/lspbench.py --server "$BIN" --file "$file" --edits "$edits" --burst 10 \
    --runs "$RUNS" --after-edit --json "$OUT/$name.json" "$@" > "$OUT/$name.txt"
  python3 - "$name" "$OUT/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
a = d.get("aggregate") or d.get("median") or {}
def f(v):
    return "-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
def per_pos(key):
    return "/".join(f(v) for v in (a.get(key) or {}).values()) or "-"
comp, hov = per_pos("completion_ms"), per_pos("hover_ms")
comp_edit, hov_edit = per_pos("completion_after_edit_ms"), per_pos("hover_after_edit_ms")
rss = a.get("vmhwm_kb")
print(f"| {name} | {f(a.get('initialize_ms'))} | {f(a.get('open_to_diagnostics_ms'))} | "
      f"{f(a.get('edit_p50_ms'))} / {f(a.get('edit_p95_ms'))} / {f(a.get('edit_max_ms'))} | "
      f"{f(a.get('edit_complete_p50_ms'))} / {f(a.get('edit_complete_p95_ms'))} | "
      f"{f(a.get('edit_publishes_per_edit'))} | "
      f"{f(a.get('burst_last_edit_to_final_ms'))} | {comp} | {hov} | {comp_edit} | {hov_edit} | "
      f"{'-' if rss is None else f'{rss / 1024:.1f}'} | {f(a.get('diagnostic_count'))} |")
PY
}
echo "| sample | init ms | open→diag ms | edit→first diag p50 / p95 / max ms | edit→complete diag p50 / p95 ms | publishes per edit | burst→final ms | completion ms | hover ms | completion after edit ms | hover after edit ms | VmHWM MiB | diags |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# The positions the peers were measured at (shared/docs/peers.md).
run flask bench/samples/flask/rockcraft.yaml 30 \
  --complete-at 7:7 --complete-at 23:1 --complete-at 19:3 --hover-at 7:2 --hover-at 18:2 --hover-at 29:3
run flask-edited bench/samples/flask-edited/rockcraft.yaml 30 \
  --complete-at 63:13 --complete-at 35:5 --complete-at 23:1 --hover-at 64:5 --hover-at 35:6 --hover-at 29:3
# Typing on a `prime` entry the expansion checks: its finding changes with every edit.
run flask-prime bench/samples/flask-edited/rockcraft.yaml 30 --edit-line 43 \
  --complete-at 63:13 --complete-at 35:5 --complete-at 23:1 --hover-at 64:5 --hover-at 35:6 --hover-at 29:3
run errors bench/samples/errors/rockcraft.yaml 30 \
  --complete-at 25:13 --complete-at 30:14 --complete-at 18:5 --hover-at 26:5 --hover-at 30:5
run large "$OUT/large/rockcraft.yaml" 20 \
  --complete-at 4:7 --complete-at 16378:13 --complete-at 21831:14 --hover-at 4:2 --hover-at 16381:5 --hover-at 21831:5
echo "reports: $OUT/*.txt"
