#!/usr/bin/env python3
"""Records what `rockcraft init` does for each case under tests/init/.

NEEDS THE ORACLE: the real rockcraft 1.20.0-6 (see the rockcraft-oracle tool's README), given
with --oracle (default /work/oracle/rockcraft). Run this BY HAND after adding or changing a
case; tests and CI never run it, they only read what it wrote.

A case is a directory tests/init/<case>/ holding case.json:
  {"directory": "my_shop",            name of the directory the command runs in (created
                                        empty inside a temporary directory)
   "args": ["init", "--profile", "flask-framework"],   rockcraft's arguments
   "setup": [["file", "rockcraft.yaml", "text"],     optional: made before the run, inside
             ["dir", "rockcraft.yaml"],                the directory; a symlink's target is
             ["symlink", "rockcraft.yaml", "../outside.yaml"]]   written as given
   "note": "what the case shows"}
Next to it the script writes:
  expected-exit-code.txt  the exit code
  expected-stdout.txt     stdout
  expected-stderr.txt     stderr, the run's directory replaced by `$PROJECT_DIR`, the log file
                          by `$ROCKCRAFT_LOG_FILE`, a crash's stack frames by `  ...`
  expected-created-files.txt   every path the run added under the directory (directories end
                          with `/`), sorted; and `../outside.yaml` when the run wrote the file
                          next to the directory that a setup symlink points to
  expected-files/<path>   the content of every file the run added under the directory

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def snapshot(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            full = Path(dirpath) / name
            out[str(full.relative_to(root)) + "/"] = None
        for name in filenames:
            full = Path(dirpath) / name
            rel = str(full.relative_to(root))
            out[rel] = full.read_bytes() if full.is_file() and not full.is_symlink() else b""
    return out


def clean(text, project, home):
    for path, name in ((project, "$PROJECT_DIR"), (home, "$HOME")):
        for form in sorted({str(path), os.path.realpath(path)}, key=len, reverse=True):
            text = text.replace(form, name)
    text = re.sub(r"Full execution log: '[^']*'", "Full execution log: '$ROCKCRAFT_LOG_FILE'", text)
    # A crash: its frames name this machine's paths; keep the exception only.
    if text.startswith("Traceback (most recent call last):"):
        last = text.rstrip("\n").splitlines()[-1]
        text = f"Traceback (most recent call last):\n  ...\n{last}\n"
    return text


def record(case, oracle, timeout):
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="init-case-") as parent:
        home = Path(parent) / "home"
        home.mkdir()
        project = Path(parent) / spec["directory"]
        project.mkdir()
        for item in spec.get("setup", []):
            kind, rel = item[0], item[1]
            target = project / rel
            if kind == "file":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(item[2], encoding="utf-8")
            elif kind == "dir":
                target.mkdir(parents=True)
            elif kind == "symlink":
                target.symlink_to(item[2])
            else:
                raise ValueError(f"{case}: unknown setup {kind}")
        before = snapshot(project)
        outside = Path(parent) / "outside.yaml"
        env = dict(os.environ, HOME=str(home))
        try:
            done = subprocess.run(
                [oracle, *spec["args"]],
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
        after = snapshot(project)
        created = sorted(p for p in after if p not in before)
        if outside.exists():
            created.append("../outside.yaml")
        expected_files = case / "expected-files"
        if expected_files.exists():
            shutil.rmtree(expected_files)
        for rel in created:
            if rel.endswith("/") or rel.startswith("../"):
                continue
            dest = expected_files / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(after[rel])
        stdout = clean(done.stdout, project, home)
        stderr = clean(done.stderr, project, home)
    (case / "expected-exit-code.txt").write_text(f"{done.returncode}\n", encoding="utf-8")
    (case / "expected-stdout.txt").write_text(stdout, encoding="utf-8")
    (case / "expected-stderr.txt").write_text(stderr, encoding="utf-8")
    (case / "expected-created-files.txt").write_text(
        "".join(f"{p}\n" for p in created), encoding="utf-8"
    )
    print(f"{case.name}: {done.returncode} {created}")
    return True


def main():
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", default="/work/oracle/rockcraft", help="the oracle's rockcraft")
    parser.add_argument("--cases", default=str(here / "tests" / "init"), help="the cases' directory")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("only", nargs="*", help="case names to record (default: all)")
    args = parser.parse_args()
    if not os.access(args.oracle, os.X_OK):
        sys.exit(f"the oracle {args.oracle} is not there; this script is run by hand where it is")
    cases = sorted(p for p in Path(args.cases).iterdir() if (p / "case.json").is_file())
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
