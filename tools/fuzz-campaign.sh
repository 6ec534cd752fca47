#!/usr/bin/env bash
# Runs a fuzz campaign: every target of fuzz/ for SECONDS each (default 720, so one hour for the
# five targets), one fuzzing process per core (FUZZ_JOBS sets another number), going on past
# crashes, timeouts and out-of-memory inputs so one finding does not end the run. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz --locked`); never run by the tests or CI.
#
# Afterwards: the new corpus inputs are in fuzz/corpus/<target>/ (shrink them with
# `cargo +nightly fuzz cmin -O <target>` before committing), reproducers in
# fuzz/artifacts/<target>/ (copy each into fuzz/regressions/<target>/ once fixed: the replay
# test runs them), and the summary in fuzz/logs/summary.txt.
set -euo pipefail

secs="${1:-720}"
jobs="${FUZZ_JOBS:-$(nproc)}"
cd "$(dirname "$0")/../fuzz"
mkdir -p logs
summary=logs/summary.txt
: > "$summary"
for target in yaml_tree analysis expansion python ide; do
    echo "fuzzing $target for ${secs}s on $jobs cores" >&2
    cargo +nightly fuzz run -O "$target" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        > "logs/$target.log" 2>&1 || true
    # The fork mode's last status line: total executions and crash/timeout/oom counts.
    last="$(grep -E '^#[0-9]+: cov:' "logs/$target.log" | tail -1 || true)"
    found="$(find "artifacts/$target" -type f 2>/dev/null | wc -l)"
    echo "$target: ${last:-no status line} | reproducers: $found" | tee -a "$summary" >&2
done
