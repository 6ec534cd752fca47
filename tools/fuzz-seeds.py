#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (fuzz/corpus/<target>/seed-*) from the projects the
tests already hold: tests/golden/*/input, tests/pack/*/input and examples/*. Run it by hand after
adding projects; `cargo test --test it fuzz_corpus` replays every corpus file.

The `expansion` target reads a project as its files joined by NUL bytes, in the order of
PROJECT_FILES (the same list as src/fuzz.rs; the replay test checks they agree).

Python 3 standard library only.
"""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = [
    "rockcraft.yaml",
    "requirements.txt",
    "app.py",
    "pyproject.toml",
    "package.json",
    "go.mod",
    "main.go",
    "pom.xml",
    "build.gradle",
    "my_app/wsgi.py",
    "app/app.py",
    "app/package.json",
]


def projects():
    for pattern in ("tests/golden/*/input", "tests/pack/*/input", "examples/*"):
        for d in sorted(ROOT.glob(pattern)):
            if (d / "rockcraft.yaml").is_file():
                yield d


def write(target, data):
    out = ROOT / "fuzz" / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    (out / name).write_bytes(data)


def main():
    n = 0
    for d in projects():
        text = (d / "rockcraft.yaml").read_bytes()
        write("yaml_tree", text)
        write("analysis", text)
        # The ide target's first four bytes choose the offset: one seed at a third of the text.
        write("ide", (len(text) // 3).to_bytes(4, "little") + text)
        pieces = []
        for name in PROJECT_FILES:
            f = d / name
            pieces.append(f.read_bytes() if f.is_file() else b"")
        while pieces and not pieces[-1]:
            pieces.pop()
        write("expansion", b"\0".join(pieces))
        for py in d.rglob("*.py"):
            write("python", py.read_bytes())
        n += 1
    print(f"seeds written from {n} projects", file=sys.stderr)


if __name__ == "__main__":
    main()
