#!/usr/bin/env python3
"""Measure rockcraft-lsp beside its previous version and the peer servers, in one run.

Every server is driven by the same client (lspbench.py) on the same samples, one after the
other, so the figures are comparable: same machine, same load, same positions.

Servers (--servers, comma-separated; default: ours,previous,craft-ls,yls-1.25,yls-2.0):
  ours        the release build of this checkout (BIN, else target/release/rockcraft-lsp)
  previous    the release build of --previous REV (default: the commit in bench/previous-rev),
              built once into target/bench/prev/REV from `git archive`
  craft-ls    craft-ls 0.5.1 from PyPI, in a venv under target/bench/peers
  yls-1.25    yaml-language-server 1.25.0 from npm, with the rockcraft schema mapped onto
  yls-2.0     rockcraft.yaml (2.0.0 likewise); SchemaStore off

Peers are installed on first use (PyPI and npm must be reachable then); a server that cannot
be had is left out with a note on stderr.

Samples (--samples): flask (the init template), flask-edited (its parts uncommented),
flask-prime (flask-edited, typing on a `prime` entry the expansion checks), errors, large (the
generated 22k-line file), huge (a generated 250k-line file; not in the default list).

Usage: bench/compare.py [--runs N] [--servers LIST] [--samples LIST] [--previous REV]
                        [--reuse LIST]
Output: a Markdown table on stdout, one row per sample and server; reports in target/bench/cmp.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tarfile
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "target" / "bench"
SCHEMA = ROOT / "schemas" / "rockcraft.json"

# The positions the peers were first measured at (1-based LINE:COL), per sample.
SAMPLES = {
    "flask": {
        "file": HERE / "samples/flask/rockcraft.yaml",
        "complete": ["7:7", "23:1", "19:3"],
        "hover": ["7:2", "18:2", "29:3"],
        "edits": 30,
    },
    "flask-edited": {
        "file": HERE / "samples/flask-edited/rockcraft.yaml",
        "complete": ["63:13", "35:5", "23:1"],
        "hover": ["64:5", "35:6", "29:3"],
        "edits": 30,
    },
    # Typing on a `prime` entry the expansion checks: its finding changes with every edit.
    "flask-prime": {
        "file": HERE / "samples/flask-edited/rockcraft.yaml",
        "complete": ["63:13", "35:5", "23:1"],
        "hover": ["64:5", "35:6", "29:3"],
        "edits": 30,
        "extra": ["--edit-line", "43"],
    },
    "errors": {
        "file": HERE / "samples/errors/rockcraft.yaml",
        "complete": ["25:13", "30:14", "18:5"],
        "hover": ["26:5", "30:5"],
        "edits": 30,
    },
    "large": {
        "file": OUT / "large/rockcraft.yaml",
        "complete": ["4:7", "16378:13", "21831:14"],
        "hover": ["4:2", "16381:5", "21831:5"],
        "edits": 20,
    },
    # Not in the default samples: 250,827 lines, 23,000 parts (`gen_large.py --parts 23000`).
    "huge": {
        "file": OUT / "huge/rockcraft.yaml",
        "generate": ["--parts", "23000"],
        "complete": ["4:7", "200000:13", "250801:14"],
        "hover": ["4:2", "200002:5", "250801:5"],
        "edits": 20,
    },
}

LABELS = {
    "ours": "**rockcraft-lsp**",
    "previous": "rockcraft-lsp (previous)",
    "craft-ls": "craft-ls 0.5.1",
    "yls-1.25": "yaml-language-server 1.25",
    "yls-2.0": "yaml-language-server 2.0",
}


def note(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=False, **kw)


def ours() -> str | None:
    binary = os.environ.get("BIN") or str(ROOT / "target/release/rockcraft-lsp")
    return binary if Path(binary).is_file() else None


def previous(rev: str) -> str | None:
    """Builds the server of commit `rev` once, from its tree, with a target dir of its own."""
    full = run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
               capture_output=True, text=True)
    if full.returncode != 0:
        note(f"previous: {rev} is not a commit here; left out")
        return None
    sha = full.stdout.strip()
    base = OUT / "prev" / sha[:12]
    binary = base / "target/release/rockcraft-lsp"
    if binary.is_file():
        return str(binary)
    note(f"previous: building {sha[:12]} (once; a few minutes)")
    src = base / "src"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    archive = run(["git", "-C", str(ROOT), "archive", "--format=tar", sha], capture_output=True)
    if archive.returncode != 0:
        note("previous: git archive failed; left out")
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(src, filter="data")
    built = run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "rockcraft-lsp",
                 "--target-dir", str(base / "target")], cwd=src)
    if built.returncode != 0 or not binary.is_file():
        note("previous: the build failed; left out")
        return None
    return str(binary)


def craft_ls() -> str | None:
    venv = OUT / "peers/craft-ls"
    exe = venv / "bin/craft-ls"
    if not exe.is_file():
        note("craft-ls: installing 0.5.1 into a venv")
        if run([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
            return None
        # 0.5.x declares Python >= 3.12 but runs on 3.11 (see the README's peer notes).
        run([str(venv / "bin/pip"), "install", "-q", "--ignore-requires-python", "craft-ls==0.5.1"])
    return str(exe) if exe.is_file() else None


def yls(version: str) -> str | None:
    home = OUT / f"peers/yls-{version}"
    script = home / "node_modules/yaml-language-server/bin/yaml-language-server"
    if not script.is_file():
        note(f"yaml-language-server: installing {version} from npm")
        home.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(home),
             f"yaml-language-server@{version}"], stdout=subprocess.DEVNULL)
    if not script.is_file() or shutil.which("node") is None:
        return None
    return f"node {script} --stdio"


def yls_settings() -> str:
    return json.dumps({"yaml": {
        "schemas": {SCHEMA.resolve().as_uri(): ["rockcraft.yaml", "**/rockcraft.yaml"]},
        "validate": True, "hover": True, "completion": True,
        "schemaStore": {"enable": False}, "format": {"enable": True}}})


def commands(names: list[str], prev_rev: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        if name == "ours":
            cmd = ours()
        elif name == "previous":
            cmd = previous(prev_rev)
        elif name == "craft-ls":
            cmd = craft_ls()
        elif name.startswith("yls-"):
            cmd = yls({"yls-1.25": "1.25.0", "yls-2.0": "2.0.0"}.get(name, name[4:]))
        else:
            note(f"unknown server {name}; left out")
            continue
        if cmd is None:
            note(f"{name}: not available; left out")
            continue
        found[name] = cmd
    return found


def bench_args() -> set[str]:
    """The options this lspbench.py knows (newer figures are asked for only when it has them)."""
    out = run([sys.executable, str(HERE / "lspbench.py"), "--help"], capture_output=True, text=True)
    return {w.strip("[],") for w in out.stdout.split() if w.startswith("--")}


def measure(name: str, cmd: str, sample: str, runs: int, known: set[str]) -> dict | None:
    spec = SAMPLES[sample]
    dest = OUT / "cmp"
    dest.mkdir(parents=True, exist_ok=True)
    report = dest / f"{name}-{sample}.json"
    argv = [sys.executable, str(HERE / "lspbench.py"), "--server", cmd, "--file", str(spec["file"]),
            "--runs", str(runs), "--edits", str(spec["edits"]), "--burst", "10",
            "--json", str(report), "--stderr-log", str(dest / f"{name}-{sample}.stderr")]
    for p in spec["complete"]:
        argv += ["--complete-at", p]
    for p in spec["hover"]:
        argv += ["--hover-at", p]
    argv += spec.get("extra", [])
    if name.startswith("yls"):
        argv += ["--settings", yls_settings()]
    # Requests sent right after an edit (a newer client's figure; complete diagnostics are
    # timed by default there).
    for opt in ("--after-edit",):
        if opt in known:
            argv.append(opt)
    note(f"== {name} / {sample}")
    if report.exists():
        report.unlink()
    with open(dest / f"{name}-{sample}.txt", "w", encoding="utf-8") as txt:
        run(argv, stdout=txt, stderr=sys.stderr)
    if not report.exists():
        return None
    return json.loads(report.read_text(encoding="utf-8")).get("median") or {}


# Stands for the command of a server whose earlier report is shown (`--reuse`).
REUSED = "<reused>"


def reused(name: str, sample: str) -> dict | None:
    """The medians of an earlier run's report for `name` on `sample`, saying when it was made."""
    report = OUT / "cmp" / f"{name}-{sample}.json"
    if not report.exists():
        return None
    made = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(report.stat().st_mtime))
    note(f"== {name} / {sample}: the report of {made} ({report})")
    return json.loads(report.read_text(encoding="utf-8")).get("median") or {}


def fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        return f"{v:.2f}" if v < 10 else f"{v:.1f}"
    return str(v)


def per_position(d) -> str:
    if not d:
        return "-"
    return " / ".join(fmt(v) for v in d.values())


COLUMNS = [
    ("init ms", lambda m: m.get("initialize_ms")),
    ("open→diag ms", lambda m: m.get("open_to_diagnostics_ms")),
    ("edit→first publish p50 / p95 / max ms",
     lambda m: " / ".join(fmt(m.get(k)) for k in ("edit_p50_ms", "edit_p95_ms", "edit_max_ms"))),
    ("edit→complete diag p50 / max ms",
     lambda m: None if m.get("edit_complete_p50_ms") is None
     else f"{fmt(m.get('edit_complete_p50_ms'))} / {fmt(m.get('edit_complete_max_ms'))}"),
    ("publishes per edit", lambda m: m.get("edit_publishes_per_edit")),
    ("burst→final ms", lambda m: m.get("burst_last_edit_to_final_ms")),
    ("completion ms", lambda m: per_position(m.get("completion_ms"))),
    ("hover ms", lambda m: per_position(m.get("hover_ms"))),
    ("completion right after an edit ms", lambda m: per_position(m.get("completion_after_edit_ms"))),
    ("hover right after an edit ms", lambda m: per_position(m.get("hover_after_edit_ms"))),
    ("peak RSS MiB", lambda m: None if m.get("vmhwm_kb") is None else m["vmhwm_kb"] / 1024.0),
    ("diags", lambda m: m.get("diagnostic_count")),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--servers", default="ours,previous,craft-ls,yls-1.25,yls-2.0")
    ap.add_argument("--samples", default="flask,errors,large")
    ap.add_argument("--previous", default=None, help="commit of the previous figures")
    ap.add_argument("--reuse", default="",
                    help="servers (comma-separated) whose reports from an earlier run of this script "
                         "(target/bench/cmp/NAME-SAMPLE.json) are shown instead of measured again: "
                         "the slow peers, measured once on a quiet machine")
    ap.add_argument("--print-previous", action="store_true",
                    help="build the previous version if needed, print its binary's path, stop")
    args = ap.parse_args()

    prev_rev = args.previous
    if prev_rev is None:
        pinned = HERE / "previous-rev"
        prev_rev = pinned.read_text(encoding="utf-8").split()[0] if pinned.exists() else "HEAD~1"
    if args.print_previous:
        binary = previous(prev_rev)
        if binary is None:
            return 1
        print(binary)
        return 0
    for generated in ("large", "huge"):
        spec = SAMPLES[generated]
        if generated in args.samples.split(",") and not spec["file"].exists():
            spec["file"].parent.mkdir(parents=True, exist_ok=True)
            run([sys.executable, str(HERE / "gen_large.py"), *spec.get("generate", []),
                 "-o", str(spec["file"])])

    reuse = [s for s in args.reuse.split(",") if s]
    servers = commands([s for s in args.servers.split(",") if s and s not in reuse], prev_rev)
    servers.update({name: REUSED for name in reuse})
    known = bench_args()
    header = "| sample | server | " + " | ".join(c for c, _ in COLUMNS) + " |"
    rows = [header, "|" + "---|" * (len(COLUMNS) + 2)]
    for sample in [s for s in args.samples.split(",") if s]:
        if sample not in SAMPLES:
            note(f"unknown sample {sample}; left out")
            continue
        first = True
        for name, cmd in servers.items():
            m = reused(name, sample) if cmd is REUSED else measure(name, cmd, sample, args.runs, known)
            if m is None:
                note(f"{name} / {sample}: no report (see target/bench/cmp/{name}-{sample}.txt)")
                continue
            cells = [fmt(get(m)) if not isinstance(get(m), str) else get(m) for _, get in COLUMNS]
            label = LABELS.get(name, name)
            rows.append(f"| {sample if first else ''} | {label} | " + " | ".join(cells) + " |")
            first = False
    print("\n".join(rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
