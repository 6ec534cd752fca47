#!/usr/bin/env python3
"""Records what `rockcraft pack` decides about each case under tests/pack/.

NEEDS THE ORACLE: the real rockcraft's `render` command (see the rockcraft-oracle tool's README),
given with --oracle (default /work/oracle/render). Run this BY HAND after adding or changing a
case; tests and CI never run it, they only read what it wrote.

For every case directory tests/pack/<case>/ holding input/rockcraft.yaml, it copies input/ to a
temporary directory, runs the oracle's `render` there (with a timeout) and writes, next to
input/:
  expected-exit-code.txt  the exit code (0: pack would start building; otherwise it refuses)
  expected-stderr.txt     the oracle's stderr, trailing spaces trimmed, the temporary project
                          directory replaced by `<project>` and the throw-away HOME it runs
                          with (where rockcraft writes its log) by `<home>`
A case may hold env.txt: KEY=VALUE lines (blank lines and `#` comments skipped) set in the
oracle's environment, e.g. ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1.

Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Variables of the calling shell that would change what rockcraft decides.
SCRUBBED = ("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS",)


def read_env_file(path):
    env = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{path}: not KEY=VALUE: {raw!r}")
        env[key.strip()] = value
    return env


def clean_stderr(text, project, home):
    # The oracle may print a directory as given or resolved; replace both.
    for path, name in ((project, "<project>"), (home, "<home>")):
        for form in sorted({str(path), os.path.realpath(path)}, key=len, reverse=True):
            text = text.replace(form, name)
    # The log file's name holds the time of the run.
    text = re.sub(r"rockcraft-\d{8}-\d{6}\.\d+\.log", "rockcraft-<time>.log", text)
    lines = [line.rstrip(" \t") for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + ("\n" if lines else "")


def record(case, oracle, timeout):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env_file = case / "env.txt"
    if env_file.is_file():
        env.update(read_env_file(env_file))
    with tempfile.TemporaryDirectory(prefix="pack-verdict-") as parent:
        project = Path(parent) / "project"
        home = Path(parent) / "home"
        home.mkdir()
        env["HOME"] = str(home)
        shutil.copytree(case / "input", project, symlinks=True)
        try:
            done = subprocess.run(
                [oracle],
                cwd=project,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            print(f"{case.name}: timed out after {timeout}s; nothing written", file=sys.stderr)
            return False
        code, stderr = done.returncode, clean_stderr(done.stderr, project, home)
    (case / "expected-exit-code.txt").write_text(f"{code}\n", encoding="utf-8")
    (case / "expected-stderr.txt").write_text(stderr, encoding="utf-8")
    first = stderr.splitlines()[0] if stderr else ""
    print(f"{case.name}: {code} {first}")
    return True


def main():
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", default="/work/oracle/render", help="the oracle's render command")
    parser.add_argument("--cases", default=str(here / "tests" / "pack"), help="the cases' directory")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("only", nargs="*", help="case names to record (default: all)")
    args = parser.parse_args()
    if not os.access(args.oracle, os.X_OK):
        sys.exit(f"the oracle {args.oracle} is not there; this script is run by hand where it is")
    cases = sorted(p for p in Path(args.cases).iterdir() if (p / "input" / "rockcraft.yaml").is_file())
    if args.only:
        wanted = set(args.only)
        cases = [c for c in cases if c.name in wanted]
        missing = wanted - {c.name for c in cases}
        if missing:
            sys.exit(f"no such case: {', '.join(sorted(missing))}")
    failed = sum(not record(case, args.oracle, args.timeout) for case in cases)
    print(f"{len(cases) - failed} recorded, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
