#!/usr/bin/env bash
# Every performance figure the README quotes, beside the previous version's and the peers', in
# one run on this machine:
#   1. the language server (bench/compare.py over bench/lspbench.py): start-up, open and
#      edit -> first and complete diagnostics, publishes per edit, bursts, completion and hover
#      (idle and sent right after an edit), peak RSS; ours, the previous version (the commit in
#      bench/previous-rev, built once), craft-ls and yaml-language-server 1.25 / 2.0 (installed
#      once under target/bench/peers);
#   2. the command line as whole processes (bench/cli.py), ours beside the previous version;
#   3. the per-edit analysis and what a kept analysis costs per line (cargo bench --bench analyze);
#   4. workspace diagnostics over 500 projects (bench/workspace_diagnostics.py).
# Usage: bench/run.sh [RUNS]   (default 5). SERVERS=ours,previous,... and SAMPLES=flask,...
# narrow part 1 (see bench/compare.py --help); BIN names an already built server; REUSE=craft-ls,...
# shows those servers' reports from an earlier run instead of measuring them again (the peers
# take half an hour: measure them once on a quiet machine, then reuse their reports).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="$PWD/target/release/rockcraft-lsp"
fi
export BIN
OUT="$PWD/target/bench"
mkdir -p "$OUT/large"
python3 bench/gen_large.py -o "$OUT/large/rockcraft.yaml"
SERVERS="${SERVERS:-ours,previous,craft-ls,yls-1.25,yls-2.0}"
SAMPLES="${SAMPLES:-flask,flask-prime,errors,large}"

echo "## Language server ($RUNS fresh server runs per row, medians)"
echo
python3 bench/compare.py --runs "$RUNS" --servers "$SERVERS" --samples "$SAMPLES" \
  --reuse "${REUSE:-}"
echo

echo "## Command line (whole processes)"
echo
PREV_BIN=""
case ",$SERVERS," in
  *,previous,*) PREV_BIN="$(python3 bench/compare.py --print-previous || true)" ;;
esac
if [ -n "$PREV_BIN" ]; then
  python3 bench/cli.py --no-build --bin "$BIN" --baseline "$PREV_BIN"
else
  python3 bench/cli.py --no-build --bin "$BIN"
fi
echo

echo "## Per-edit analysis"
echo
cargo bench --quiet --bench analyze -- bench/samples/flask/rockcraft.yaml \
  bench/samples/errors/rockcraft.yaml "$OUT/large/rockcraft.yaml" 2>/dev/null
echo

echo "## Workspace diagnostics"
echo
python3 bench/workspace_diagnostics.py --server "$BIN"
echo "reports: $OUT/cmp/*.txt"
