#!/usr/bin/env python3
"""Checks that a VSIX of the VS Code extension is well-formed.

    check-vsix.py VSIX TARGET        TARGET: linux-x64, linux-arm64, darwin-x64, darwin-arm64,
                                     win32-x64, or universal (no server inside)

Checks: a readable zip with the extension's package.json, LICENSE and README; the manifest's
TargetPlatform is TARGET (none for universal); a platform-specific VSIX holds exactly one
server, extension/server/rockcraft-lsp (.exe on Windows), a well-formed executable for that
platform (check-executable.py), with its executable bits set on Unix; the universal one holds no
server; every link of the packaged README is absolute (an installed extension's details page
opens only those) and every image it shows is a file of the VSIX.
"""

import importlib.util
import json
import re
import stat
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

PLATFORM = {
    "linux-x64": "linux-x86_64",
    "linux-arm64": "linux-aarch64",
    "darwin-x64": "macos-x86_64",
    "darwin-arm64": "macos-arm64",
    "win32-x64": "windows-x86_64",
}
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def load_check_executable():
    path = Path(__file__).with_name("check-executable.py")
    spec = importlib.util.spec_from_file_location("check_executable", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(vsix, target):
    """Returns the list of problems of the VSIX (empty when it is sound) and a summary."""
    problems = []
    with zipfile.ZipFile(vsix) as z:
        bad = z.testzip()
        if bad is not None:
            return [f"corrupt member {bad}"], ""
        names = set(z.namelist())
        for required in ("extension.vsixmanifest", "extension/package.json", "extension/readme.md"):
            if required not in names:
                problems.append(f"no {required}")
        if not any(n.lower().startswith("extension/license") for n in names):
            problems.append("no LICENSE")
        if problems:
            return problems, ""

        package = json.loads(z.read("extension/package.json"))
        if package.get("name") != "rockcraft-lsp" or not package.get("main"):
            problems.append("package.json is not the rockcraft-lsp extension's")
        main = "extension/" + package.get("main", "").removeprefix("./")
        if main not in names:
            problems.append(f"package.json's main {main} is not in the VSIX")

        identity = None
        for element in ElementTree.fromstring(z.read("extension.vsixmanifest")).iter():
            if element.tag.endswith("Identity"):
                identity = element
        platform = identity.get("TargetPlatform") if identity is not None else None
        expected = None if target == "universal" else target
        if platform != expected:
            problems.append(f"manifest TargetPlatform is {platform}, expected {expected}")
        if identity is not None and identity.get("Version") != package.get("version"):
            problems.append("the manifest's version is not package.json's")

        servers = sorted(n for n in names if n.startswith("extension/server/"))
        summary = "no server"
        if target == "universal":
            if servers:
                problems.append(f"a universal VSIX with a server: {servers}")
        else:
            exe = "extension/server/rockcraft-lsp" + (".exe" if target.startswith("win32") else "")
            if servers != [exe]:
                problems.append(f"server files {servers}, expected exactly [{exe}]")
            else:
                info = z.getinfo(exe)
                mode = info.external_attr >> 16
                if not target.startswith("win32") and (not stat.S_ISREG(mode) or mode & 0o111 != 0o111):
                    problems.append(f"{exe} has mode {oct(mode)}: not executable by all")
                try:
                    summary = load_check_executable().check(PLATFORM[target], z.read(exe))
                    summary = f"{exe} ({oct(mode & 0o777)}): {summary}"
                except Exception as e:  # Malformed, from the module loaded above
                    problems.append(f"{exe}: {e}")

        readme = z.read("extension/readme.md").decode("utf-8")
        for bang, target_link in LINK.findall(readme):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target_link, re.I) or target_link.startswith("#"):
                continue
            if bang:
                if "extension/" + target_link.split("#")[0] not in names:
                    problems.append(f"README image {target_link} is not in the VSIX")
            else:
                problems.append(f"README link {target_link} is relative: broken when installed")
    return problems, summary


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in (*PLATFORM, "universal"):
        print(__doc__.strip().splitlines()[2].strip())
        sys.exit(2)
    vsix, target = sys.argv[1], sys.argv[2]
    problems, summary = check(vsix, target)
    if problems:
        for problem in problems:
            print(f"FAIL {target}: {vsix}: {problem}")
        sys.exit(1)
    print(f"OK {target}: {vsix}: {summary}")


if __name__ == "__main__":
    main()
