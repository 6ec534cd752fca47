#!/usr/bin/env python3
"""Times the command line as whole processes, start-up included.

usage: bench/cli.py [--runs N] [--bin PATH] [--baseline PATH] [--no-build]

Builds the release binary (unless --bin or --no-build), generates 500 projects with the
generator of bench/workspace_diagnostics.py, and prints a Markdown table of each command's
wall-clock time over N runs (default 30; median, minimum, maximum) and its CPU time (user +
system, median): `expand-extensions` on the flask init template, `check` on that template, on
examples/errors, and on the 500 projects. With --baseline, another binary (an earlier build)
is timed the same way, its runs interleaved with the first's, and shown in the rows below.
Uses `hyperfine` for the wall-clock times when it is installed, else a loop of subprocess runs
timed with time.perf_counter; the CPU times come from the loop. Standard library only.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from workspace_diagnostics import generate  # noqa: E402

TEMPLATE = ROOT / "tests/golden/flask-init-template/input"
ERRORS = ROOT / "examples/errors"


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) milliseconds of one run."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    proc.returncode = 0  # reaped by wait4
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def time_loop(cases: list[list[str]], runs: int) -> list[tuple[list[float], list[float]]]:
    """Per case, the wall-clock and CPU times of `runs` runs (after two warm-up runs each),
    the cases' runs interleaved so a change in the machine's load touches them alike."""
    out = [([], []) for _ in cases]
    for i in range(runs + 2):
        for argv, (walls, cpus) in zip(cases, out):
            wall, cpu = run_once(argv)
            if i >= 2:
                walls.append(wall)
                cpus.append(cpu)
    return out


def time_hyperfine(argv: list[str], runs: int) -> list[float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run(
            ["hyperfine", "--warmup", "2", "--runs", str(runs), "--ignore-failure", "-N",
             "--style", "none", "--export-json", f.name, "--", " ".join(argv)],
            stdout=subprocess.DEVNULL, check=True)
        return [t * 1000 for t in json.load(open(f.name))["results"][0]["times"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--bin", help="the binary to time (default: target/release/rockcraft-lsp)")
    ap.add_argument("--baseline", help="an earlier binary to time beside it")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    ap.add_argument("--projects", type=int, default=500)
    args = ap.parse_args()
    binary = args.bin or str(ROOT / "target/release/rockcraft-lsp")
    if not args.bin and not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binaries = [("current", binary)] + ([("baseline", args.baseline)] if args.baseline else [])
    hyperfine = shutil.which("hyperfine") is not None
    with tempfile.TemporaryDirectory() as tmp:
        many = Path(tmp)
        generate(many, args.projects)
        commands = [
            ("expand-extensions, init template",
             ["expand-extensions", "--project-dir", str(TEMPLATE)]),
            ("check, init template", ["check", "--color", "never", str(TEMPLATE)]),
            ("check, examples/errors", ["check", "--color", "never", str(ERRORS)]),
            (f"check, {args.projects} projects", ["check", "--color", "never", str(many)]),
        ]
        print(f"{os.cpu_count()} cores, {args.runs} runs each, wall-clock times from "
              f"{'hyperfine' if hyperfine else 'a subprocess loop'}\n")
        print("| command | binary | wall median ms | wall min ms | wall max ms | CPU median ms |")
        print("|---|---|---|---|---|---|")
        # The floor: starting and reaping any process at all from here.
        floor = time_loop([["true"]], args.runs)[0]
        print(f"| (`true`, the floor) | | {statistics.median(floor[0]):.1f} | {min(floor[0]):.1f} | "
              f"{max(floor[0]):.1f} | {statistics.median(floor[1]):.1f} |")
        for name, argv in commands:
            cases = [[path] + argv for _, path in binaries]
            timed = time_loop(cases, args.runs)
            for (label, _), case, (walls, cpus) in zip(binaries, cases, timed):
                if hyperfine:
                    walls = time_hyperfine(case, args.runs)
                print(f"| {name} | {label} | {statistics.median(walls):.1f} | {min(walls):.1f} | "
                      f"{max(walls):.1f} | {statistics.median(cpus):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
