#!/usr/bin/env bash
# Peak memory (and time) of `rockcraft-lsp check` on each hostile project: project files that
# are FIFOs, devices, standard streams, unreadable or oversized; project files and package
# indexes named by the command line that are devices, FIFOs or decompression bombs; a directory
# of 100,000 files; sources nested too deeply (Python brackets, f-strings and unary minus, YAML
# alias and merge-key chains); a rockcraft.yaml of 5,000 duplicate keys on one line, and one of
# 80,000 unknown keys next to an extension. Each project is built in a temporary directory, removed
# at the end. Every run has a 60 s deadline: a run that blocks shows as `TIMEOUT`.
#
# Usage: bench/hostile-memory.sh [BINARY]   (default: target/release/rockcraft-lsp, built if
# missing). Peak RSS comes from /usr/bin/time -v when present, else from VmHWM in /proc.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/target/release/rockcraft-lsp}
if [[ ! -x $bin ]]; then
    (cd "$root" && cargo build --release --locked --quiet)
fi
template=$root/tests/golden/flask-init-template/input

work=$(mktemp -d)
stdin_pid=
cleanup() {
    if [[ -n $stdin_pid ]]; then kill "$stdin_pid" 2>/dev/null || true; fi
    chmod -R u+rwx "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# An open standard input nobody writes to (as in a terminal): a command reading it would block.
exec 3< <(sleep 3600)
stdin_pid=$!

# A flask project (the init template) in $work/$1.
project() {
    local d=$work/$1
    mkdir -p "$d"
    cp "$template/rockcraft.yaml" "$template/app.py" "$d/"
    echo flask > "$d/requirements.txt"
    echo "$d"
}

# Runs `check ARGS...` in directory $1 and prints one line: name, peak RSS, time, exit code.
measure() {
    local name=$1 dir=$2
    shift 2
    local out=$work/out.txt err=$work/err.txt
    local start end code peak
    start=$(date +%s.%N)
    if [[ -x /usr/bin/time ]]; then
        code=0
        (cd "$dir" && /usr/bin/time -v timeout 60 "$bin" check "$@" <&3 >"$out" 2>"$err") || code=$?
        peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$err" | tail -1)
    else
        # VmHWM (the high-water mark) of the running process, polled until it exits.
        (cd "$dir" && exec "$bin" check "$@" <&3 >"$out" 2>"$err") &
        local pid=$! polls=0 v
        peak=0
        while kill -0 "$pid" 2>/dev/null; do
            v=$(sed -n 's/^VmHWM: *\([0-9]*\) kB$/\1/p' "/proc/$pid/status" 2>/dev/null || true)
            if [[ -n $v && $v -gt $peak ]]; then peak=$v; fi
            polls=$((polls + 1))
            if ((polls > 6000)); then kill -9 "$pid"; fi
            sleep 0.01
        done
        code=0
        wait "$pid" || code=$?
        if ((polls > 6000)); then code=124; fi
    fi
    end=$(date +%s.%N)
    local verdict=$code
    if [[ $code == 124 ]]; then verdict=TIMEOUT; fi
    awk -v n="$name" -v p="${peak:-0}" -v s="$start" -v e="$end" -v v="$verdict" \
        'BEGIN { printf "%-44s %8.1f MiB %7.2f s  exit %s\n", n, p / 1024, e - s, v }'
}

printf '%-44s %12s %9s  %s\n' "project" "peak RSS" "time" "exit"

d=$(project baseline)
measure "flask template (baseline)" "$d" .

d=$(project nul-10mb)
head -c 10000000 /dev/zero > "$d/app.py"
measure "app.py: 10 MB of NUL bytes" "$d" .

d=$(project nul-1mb)
head -c 1000000 /dev/zero > "$d/app.py"
measure "app.py: 1 MB of NUL bytes (under the cap)" "$d" .

d=$(project parens)
python3 -c "import sys; sys.stdout.write(')' * 1048576)" > "$d/app.py"
measure "app.py: 1 MiB of ')' (a parser error each)" "$d" .

d=$(project dollars)
python3 -c "import sys; sys.stdout.write('\$' * 1048576)" > "$d/app.py"
measure "app.py: 1 MiB of '\$' (invalid tokens)" "$d" .

for target in /dev/stdin /proc/self/fd/0 /dev/zero; do
    for file in requirements.txt app.py; do
        d=$(project "link-${file}-${target//\//_}")
        rm "$d/$file"
        ln -s "$target" "$d/$file"
        measure "$file -> $target" "$d" .
    done
done

for file in requirements.txt app.py rockcraft.yaml; do
    d=$(project "fifo-$file")
    rm "$d/$file"
    mkfifo "$d/$file"
    measure "$file is a FIFO" "$d" .
done

d=$(project unreadable)
chmod 000 "$d/requirements.txt"
measure "requirements.txt chmod 000 ($(id -un))" "$d" .

d=$(project oversized)
python3 -c "import sys; sys.stdout.write('#' * (9 * 1024 * 1024))" >> "$d/rockcraft.yaml"
measure "rockcraft.yaml of 9 MiB" "$d" .

d=$(project linked)
mv "$d/rockcraft.yaml" "$d/real.yaml"
ln -s real.yaml "$d/rockcraft.yaml"
measure "rockcraft.yaml is a link (directory walk)" "$d" .

measure "check /dev/zero" "$work" /dev/zero

d=$(project many-files)
mkdir "$d/data"
(cd "$d/data" && seq -f 'f%06g' 0 99999 | xargs touch)
measure "100,000 files in the project" "$d" .

d=$(project packages)
measure "--packages /dev/zero /dev/stdin" "$d" . --packages /dev/zero --packages /dev/stdin
mkdir "$d/lists"
ln -s /dev/zero "$d/lists/x_ubuntu_dists_noble_main_binary-amd64_Packages"
measure "--apt-lists: a *_Packages link to /dev/zero" "$d" . --apt-lists "$d/lists"
python3 - "$d/bomb_Packages.gz" <<'EOF'
import gzip, sys
member = gzip.compress(b"Package: x\n\n" * (1024 * 1024 // 12), compresslevel=9)
with open(sys.argv[1], "wb") as f:
    for _ in range(1024):  # 1 GiB of text
        f.write(member)
EOF
measure "--packages: gzip bomb (1 GiB of text)" "$d" . --packages "$d/bomb_Packages.gz"
mkdir -p "$d/chisel/slices"
printf 'archives:\n  ubuntu:\n    version: 24.04\n' > "$d/chisel/chisel.yaml"
mkfifo "$d/chisel/slices/a.yaml"
measure "--chisel-releases: a FIFO slice file" "$d" . --chisel-releases "$d/chisel"

d=$(project brackets)
python3 -c "import sys; sys.stdout.write('x = ' + '(' * 200000 + ')' * 200000 + '\\n')" > "$d/app.py"
measure "app.py: 200,000 nested brackets" "$d" .

d=$(project fstrings)
python3 -c "import sys; n = 100000; sys.stdout.write('x = ' + 'f\\'{' * n + '1' + '}\\'' * n + '\\n')" > "$d/app.py"
measure "app.py: 100,000 nested f-strings" "$d" .

d=$(project minus)
python3 -c "import sys; sys.stdout.write('x = ' + '-' * 60000 + '1\\n')" > "$d/app.py"
measure "app.py: 60,000 unary minus signs" "$d" .

d=$(project alias-chain)
python3 - "$d/rockcraft.yaml" <<'EOF2'
import sys
lines = ["name: x", "base: ubuntu@24.04", "version: '1'", "summary: s", "description: d",
         "platforms:", "  amd64:", "parts: {}"]
# A long flow list raises the alias budget, then 1,500 links each nest the previous one.
lines.append("pad: [" + ", ".join(["0"] * 200000) + "]")
lines.append("c0: &c0 [0]")
lines += [f"c{i}: &c{i} [*c{i - 1}]" for i in range(1, 1501)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF2
measure "rockcraft.yaml: 1,500-link alias chain" "$d" .

d=$(project merge-chain)
python3 - "$d/rockcraft.yaml" <<'EOF2'
import sys
lines = ["name: x", "base: ubuntu@24.04", "version: '1'", "summary: s", "description: d",
         "platforms:", "  amd64:", "parts: {}", "k0: &k0 {a: 1}"]
lines += [f"k{i}: &k{i} {{<<: *k{i - 1}}}" for i in range(1, 200000)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF2
measure "rockcraft.yaml: 200,000-line merge-key chain" "$d" .

d=$(project duplicate-keys)
python3 -c "import sys; sys.stdout.write('name: x\\nparts: {' + ', '.join(['a: 1'] * 5000) + '}\\n')" > "$d/rockcraft.yaml"
measure "rockcraft.yaml: 5,000 duplicate keys, one line" "$d" .

d=$(project unknown-keys)
python3 - "$d/rockcraft.yaml" <<'EOF2'
import sys
head = open(sys.argv[1]).read()
open(sys.argv[1], "w").write(head + "".join(f"unknown-key-{i}: {i}\n" for i in range(80000)))
EOF2
measure "rockcraft.yaml: 80,000 unknown keys + flask" "$d" .
