#!/usr/bin/env python3
"""Times `workspace/diagnostic` over a generated workspace of many projects.

usage: bench/workspace_diagnostics.py [--projects N] [--runs R] [--server PATH]

Builds N projects (default 500) in a temporary directory, a third each of: the flask init
template with its application, a `base: bare` rock with a nil part, and that rock with an
unknown key. Starts the server (default: target/release/rockcraft-lsp; build it first with
`cargo build --release`), initializes it as a client that pulls diagnostics with the
directory as its workspace folder, and sends `workspace/diagnostic` R times (default 5),
without result ids (a pull with ids and nothing changed is held until something changes), so
every project is checked each time. Prints the time of each answer, from request to response.
Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = ROOT / "tests/golden/flask-init-template/input"
BARE = """name: hello
base: bare
build-base: ubuntu@24.04
version: "1.0"
summary: A small rock.
description: A small rock.
license: Apache-2.0
platforms:
  amd64:
parts:
  hello:
    plugin: nil
"""


def generate(root: Path, n: int) -> None:
    flask_yaml = (FLASK / "rockcraft.yaml").read_text()
    app = (FLASK / "app.py").read_text()
    for i in range(n):
        d = root / f"group{i % 10}" / f"project{i:04}"
        d.mkdir(parents=True)
        kind = i % 3
        if kind == 0:
            (d / "rockcraft.yaml").write_text(flask_yaml)
            (d / "app.py").write_text(app)
            (d / "requirements.txt").write_text("Flask\n")
        elif kind == 1:
            (d / "rockcraft.yaml").write_text(BARE)
        else:
            (d / "rockcraft.yaml").write_text(BARE + "bogus-key: 1\n")


class Client:
    def __init__(self, server: str):
        self.proc = subprocess.Popen(
            [server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 1

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params) -> dict:
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self.read()
            if "method" in msg and "id" in msg:
                # A server request (configuration, progress token, watchers): answer null.
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise SystemExit(f"{method} failed: {msg['error']}")
                return msg["result"]

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--server", default=str(ROOT / "target/release/rockcraft-lsp"))
    args = ap.parse_args()
    if not os.access(args.server, os.X_OK):
        print(f"no server at {args.server}: run `cargo build --release`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rockcraft-lsp-wsbench-") as tmp:
        root = Path(tmp)
        generate(root, args.projects)
        c = Client(args.server)
        caps = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {}}}
        folder = root.as_uri()
        c.request(
            "initialize",
            {
                "processId": None,
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "bench"}],
                "capabilities": caps,
            },
        )
        c.notify("initialized", {})
        times = []
        for run in range(args.runs):
            t = time.perf_counter()
            report = c.request("workspace/diagnostic", {"previousResultIds": []})
            times.append(time.perf_counter() - t)
            items = report["items"]
            if len(items) != args.projects:
                raise SystemExit(f"{len(items)} reports for {args.projects} projects")
            findings = sum(len(i["items"]) for i in items)
            print(f"run {run + 1}: {times[-1] * 1000:.0f} ms, {len(items)} reports, {findings} diagnostics")
        c.request("shutdown", None)
        c.notify("exit", None)
        c.proc.wait(timeout=10)
        print(
            f"{args.projects} projects on {os.cpu_count()} CPUs: median "
            f"{statistics.median(times) * 1000:.0f} ms, first {times[0] * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
