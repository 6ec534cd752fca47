#!/usr/bin/env python3
"""Generate byte-exact PyYAML reference cases for the `emit` module.

Writes cases/NNN.json (json.dumps of the value, key order kept) and
cases/NNN.yaml (PyYAML 6.0.3 output with rockcraft's dumper settings).
Run from this directory: python3 gen_cases.py
"""
import glob
import json
import os
import random
import shutil

import yaml

assert yaml.__version__ == "6.0.3", yaml.__version__


class D(yaml.SafeDumper):
    pass


def str_presenter(dumper, data):
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


D.add_representer(str, str_presenter)


def dump(obj):
    return yaml.dump(obj, Dumper=D, sort_keys=False, allow_unicode=True)


HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden")

cases = []  # list of (json_text, yaml_text)
seen = set()


def add(value):
    # Round-trip through JSON so that no object is shared (no YAML anchors)
    # and the value is exactly what serde_json will see.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    value = json.loads(text)
    if text in seen:
        return
    seen.add(text)
    cases.append((text, dump(value)))


# ---------------------------------------------------------------- scalars
STRINGS = [
    "", " ", "  ", "a", "abc", "hello world", "0.1", "1.0", "1.", ".5", "1e3", "1.0e+3",
    "1.0e3", "1_000", "1_0.0_1", "0755", "0o755", "0x1F", "0xZZ", "0b101", "0b102", "08", "09",
    "012", "-1", "+1", "-0", "1:20", "1:20:30", "1:60", "190:20:30.15", "-1:20",
    "0:20", "1:2:3.5", "1:99", "True", "true", "TRUE", "tRue", "False", "yes", "Yes",
    "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    "null", "Null", "NULL", "nUll", "~", "~~", ".inf", ".Inf", ".INF", "-.inf", "+.inf",
    ".nan", ".NaN", ".NAN", "-.nan", "nan", "inf", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43", "2001-1-1 1:00:00", "2001-1-1",
    "2001-12-14T21:59:43Z", "2001-12-14  \t21:59:43.10 Z", "<<", "<", "=", "==", "!", "&",
    "*", "!tag", "&anchor", "*alias", "|", ">", "|-", "'", '"', "%", "@", "`", "#", "# c",
    "a #b", "a#b", "a# b", "- ", "-", "--", "---", "--- x", "...", "... x", "-a", "- a",
    "?", "? a", "?a", ":", ": a", ":a", "a:", "a: b", "a:b", "a:b:c", "http://x.y/z",
    "a,b", "[a]", "{a}", "a]", "a}", "a[b", "a?b", ",a", "a, b", "a  b", " a", "a ",
    " a ", "\t", "a\tb", "\ta", "a\t", "a\rb", "a\x00b", "a\x07b", "a\x1bb", "\x7f",
    "a\x85b", "a\xa0b", "\xa0", "a\u2028b", "a\u2029b", "\ufeffa", "a\ufeff", "\ue000",
    "\ufffd", "\ufffe", "\uffff", "caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \U0001F600 x",
    "\U0001F600", "\U0010fffd", "\U0010ffff", "a\\b", "a'b", "'a'", "a\"b", '"a"', "it's",
    "\n", "\n\n", "a\n", "a\n\n", "a\n\n\n", "a\nb", "a\nb\n", "a\nb\n\n", "\na", "\na\n",
    " a\nb", "  a\n  b\n", "a \nb", "a\n b", "a\n\tb", "a\t\nb", "a\n b\n", "a\nb ",
    "a\nb \n", "a\r\nb\n", "a\n\x85b", "a\u2028\nb", "a\n#b", "a\n- b\n", "#a\nb",
    "- a\nb\n", "'a\nb'", "a\n\n  b\n\n", "x" * 121, "x" * 122, "x" * 123, "x" * 124, "x" * 127,
    "x" * 128, "x" * 129, "\u00e9" * 122, "\u00e9" * 123, "'" * 122, "\t" * 122,
    "ab " * 40, "a" * 90 + " b", "a " * 60, "a  " * 40, "a   b " * 20,
    "---\n", "...\n", "é\nü\n", "a\u2028", "\u2029", "a\x85", "a\n\u2028b",
]


def long_words(rng, n, words=None):
    words = words or ["alpha", "be", "c", "delta-echo", "--flag", "x=1", "path/to/thing",
                      "./app", "[", "]", "-k", "sync", "é", "日本", "'q'", '"dq"', "a:b",
                      "#", "{}", "1.0", "--workers=4", "--bind", "0.0.0.0:8000"]
    return " ".join(rng.choice(words) for _ in range(n))


def build_scalar_cases():
    for s in STRINGS:
        if FULL:
            add({"v": s})
            add({"outer": {"inner": {"deep": s}}, "list": [s, {"k": s}, [s]]})
            add({s: 1, "other": {s: [s]}})
            add([s])
        else:
            add({"v": s, "o": {"i": {"d": s}}, "l": [s, {"k": s}, [s]], s: 1, "x": {s: [s]}})
        add(s)


def build_width_cases():
    rng = random.Random(1234)
    prefixes = ["", "*", "- ", "a\t", " ", "yes "]
    depths = range(0, 6) if FULL else (0, 2, 5)
    lengths = list(range(60, 100, 3)) + [120, 170, 250] if FULL else (79, 82, 86, 170)
    for depth in depths:
        for length in lengths:
            for pre in prefixes:
                base = pre + long_words(rng, 40)
                s = base[:length]
                v = s
                for d in range(depth):
                    v = {f"k{d}": v} if d % 2 == 0 else [v, "x"]
                add({"services": {"flask": {"command": s}}, "root": v})
    # exact boundary probes: word ending at column 79/80/81/82
    for col in range(70, 90) if FULL else range(77, 85):
        for indent_key in ["k", "key", "a-much-longer-key"] if FULL else ["k", "a-much-longer-key"]:
            w1 = "w" * (col - len(indent_key) - 2)
            add({indent_key: w1 + " tail tail"})
            add({indent_key: w1 + "  double space"})
            add({indent_key: "*" + w1 + " single quoted tail"})
            add({indent_key: "\t" + w1 + " double quoted tail"})
            add({indent_key: w1 + " \u00e9\u00e9 unicode tail"})
            add([w1 + " tail tail", [w1 + " tail"]])
    # the exact shape from rockcraft services
    add({"services": {"flask": {"override": "replace", "startup": "enabled",
         "command": "./app --foo bar --baz qux --some-very-long-option-name=value -k [ sync ]",
         "working-dir": "/flask/app"}}})


ALPHABET = (list("abcdefghij") * 6 + [" "] * 25 + ["  ", "\n", "\n\n", "\t", ":", "#",
            "-", "'", '"', "\\", ",", "[", "]", "{", "}", "?", "*", "&", "!", "|", ">",
            "%", "@", "`", ".", "0", "1", "é", "日", "\u2028", "\x85", "\xa0", "\U0001F600",
            "\x01", "\ufeff", "~", "=", "\r", "\x7f", "\u200b", "\ue000", "\U0010ffff",
            "\ufffe", "\u2029", "\x00", "\x1b", " \n", "\n "])


def rand_str(rng):
    kind = rng.random()
    if kind < 0.15:
        return rng.choice(STRINGS)
    n = rng.choice([1, 2, 5, 10, 30, 60, 80, 100, 150, 200])
    if kind < 0.5:
        # mostly words and spaces: long folding material
        return long_words(rng, max(1, n // 5))[: n + 10]
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def rand_value(rng, depth):
    r = rng.random()
    if depth > 4 or r < 0.45:
        r2 = rng.random()
        if r2 < 0.75:
            return rand_str(rng)
        if r2 < 0.82:
            return rng.randint(-10**12, 10**12)
        if r2 < 0.9:
            return rng.choice([0.1, 2.0, -3.5, 1e20, 1e-7, 123456789.125, 1e16, 1e15,
                               0.0001, 0.00001, -0.0, 5e-324, 1.7976931348623157e308,
                               rng.uniform(-1e6, 1e6), rng.random()])
        if r2 < 0.95:
            return rng.choice([True, False])
        return None
    if r < 0.75:
        return {rand_str(rng)[:40] if rng.random() < 0.5 else "k%d" % i: rand_value(rng, depth + 1)
                for i in range(rng.randint(0, 5))}
    return [rand_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]


def build_random_cases():
    rng = random.Random(20240521 + SEED_OFFSET)
    for _ in range(RANDOM_CASES):
        add({"r": rand_value(rng, 0), "s": [rand_str(rng) for _ in range(3)]})
    # folding fuzz: random word lengths, forced styles, random depth, root values
    for _ in range(RANDOM_CASES // 2):
        words = []
        for _ in range(rng.randint(5, 40)):
            w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz\u00e9\t'\"\\") if rng.random() < 0.05
                        else rng.choice("abcdefghij") for _ in range(rng.randint(1, 20)))
            words.append(w)
        text = ""
        for w in words:
            text += w + rng.choice([" "] * 8 + ["  ", "   ", "\t", " \t "])
        text = rng.choice(["", "", "", "*", "- ", "'", "\x01", " "]) + text.rstrip(" ")
        if rng.random() < 0.2:
            text += "\n" + text
        v = text
        for d in range(rng.randint(0, 8)):
            v = {"k" * rng.randint(1, 12): v} if rng.random() < 0.6 else [v]
        add(v)
        add(rand_value(rng, 0))
    # long keys (complex `? ` keys are folded like values) and deep nesting
    for _ in range(RANDOM_CASES // 4):
        key = long_words(rng, rng.randint(15, 40))
        if rng.random() < 0.3:
            key = rng.choice(["*", "\t", " ", "yes "]) + key
        v = {key: rand_str(rng), "x": {key: [key]}}
        for d in range(rng.randint(0, 8)):
            v = {f"k{d}": v} if rng.random() < 0.5 else [v]
        add(v)


def build_misc_cases():
    add({})
    add([])
    add(None)
    add(True)
    add(0)
    add(2.0)
    add({"a": {}, "b": [], "c": [{}, []], "d": None, "e": [None, True, False]})
    add({"parts": {"p": {"prime": ["a", "b"], "plugin": "nil"}}})
    add([[[]], [[1, 2], [3]], {"x": [[{}]]}])
    add([{"a": 1, "b": [1, {"c": [2]}]}, [{"d": "e"}]])
    for f in [0.0, -0.0, 1.0, 2.0, 0.1, 0.2 + 0.1, 1e20, 1e21, 1e22, 1e-4, 1e-5, 1.5e-7,
              123.456, 1e16, 9999999999999998.0, 1e15, 123456789012345680.0, 5e-324,
              1.7976931348623157e308, -2.5, 100.0, 3.14159, 2.2250738585072014e-308]:
        add({"f": f, "l": [f]})
    for i in [0, 1, -1, 2**31, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1]:
        add({"i": i})
    add({"deep": json.loads("[" * 60 + "]" * 60)})


def build_golden_cases():
    n = 0
    for path in sorted(glob.glob(os.path.join(GOLDEN, "*", "expected.yaml"))):
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith("name:"):
                break
        else:
            raise SystemExit(f"no name: line in {path}")
        text = "".join(lines[i:])
        value = yaml.safe_load(text)
        assert dump(value) == text, f"re-dump differs for {path}"
        before = len(cases)
        add(value)
        n += len(cases) - before
    print(f"golden: {n} unique")


RANDOM_CASES = 20
SEED_OFFSET = 0
FULL = False


def main():
    global RANDOM_CASES, OUT, SEED_OFFSET, FULL
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--random", type=int, default=RANDOM_CASES,
                    help="number of random cases (fuzzing: use thousands with --out)")
    ap.add_argument("--seed-offset", type=int, default=0)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--full", action="store_true",
                    help="all scalar contexts and width probes (large; for local fuzzing)")
    args = ap.parse_args()
    RANDOM_CASES, OUT, SEED_OFFSET, FULL = args.random, args.out, args.seed_offset, args.full
    build_misc_cases()
    build_golden_cases()
    build_scalar_cases()
    build_width_cases()
    build_random_cases()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    for i, (js, ym) in enumerate(cases):
        with open(os.path.join(OUT, f"{i:04d}.json"), "w", encoding="utf-8", newline="") as fh:
            fh.write(js)
        with open(os.path.join(OUT, f"{i:04d}.yaml"), "w", encoding="utf-8", newline="") as fh:
            fh.write(ym)
    print(f"{len(cases)} cases written to {OUT}")


if __name__ == "__main__":
    main()
