#!/usr/bin/env bash
# Helix integration test: a real Helix, built from source once, driven under tmux against the
# server with the files of editors/helix/ installed as its guide says.
#
#   tests/editors/helix.sh
#
# 1. builds `hx` once into $RLSP_HELIX (default <repo>/target/helix): from $HELIX_SRC (a Helix
#    source checkout; default $RLSP_HELIX/src, fetched from GitHub at $helix_rev when missing)
#    with cargo and the stable toolchain, grammars not fetched by its build; the YAML grammar
#    (the tree-sitter-yaml revision Helix pins, as the npm package tree-sitter-yaml@0.5.0)
#    compiled with cc into the runtime's grammars/. Not part of .ci/run: the first build takes
#    minutes (about 8 on two cores).
# 2. builds the server (cargo build --locked) unless RLSP_BIN is given, and puts it on PATH as
#    `rockcraft-lsp` (editors/helix/languages.toml starts it by name);
# 3. in a temporary HOME: editors/helix/languages.toml as ~/.config/helix/languages.toml and
#    editors/helix/runtime/queries/rockcraft/ in ~/.config/helix/runtime/queries/, then checks:
#      helix/health       `hx --health rockcraft`: the server found, highlight/textobject/indent
#                         queries present, and absent again without the query files
#      helix/highlight    the `base` key drawn in a theme colour (the inherited YAML queries)
#      helix/diagnostic   the prime-prefix diagnostic shown on the `- app.py` line
#      helix/quickfix     `Space a` on that line, the quick fix chosen: the line becomes
#                         `- flask/app/app.py` and the diagnostic goes away
#      helix/hover        `Space k` on the flask service shows the expanded gunicorn command
#    Helix runs in a tmux session of its own socket; keys go in with send-keys, the screen is
#    read with capture-pane, each wait polls the screen until a deadline.
# Prints one "PASS|FAIL helix/<check>: detail" line per check and ends with "N passed, N failed".
#
# Environment:
#   RLSP_HELIX      build and tool directory (default <repo>/target/helix)
#   HELIX_SRC       Helix source checkout (default $RLSP_HELIX/src)
#   HELIX_TOOLCHAIN rustup toolchain for Helix (default stable; Helix pins its own in
#                   rust-toolchain.toml, which may not be installed)
#   RLSP_BIN        test this server binary instead of building one
#   RLSP_KEEP       keep the temp directory (project, Helix log, screens)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
helix_dir="${RLSP_HELIX:-$root/target/helix}"
helix_src="${HELIX_SRC:-$helix_dir/src}"
toolchain="${HELIX_TOOLCHAIN:-stable}"
# the Helix this test was written against (master after 25.07.1), fetched when HELIX_SRC is absent
helix_rev=079a789e8cb08ead67f19e1971a1b7438b37354b
yaml_grammar_version=0.5.0 # npm tree-sitter-yaml: the grammar revision Helix's languages.toml pins
wait_s=30

passed=0
failed=0
report() { # report PASS|FAIL name detail
  printf '%s %s: %s\n' "$1" "$2" "$3"
  case $1 in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
}
log() { printf '== %s\n' "$*"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit
}

for tool in tmux cargo cc c++ npm; do
  command -v "$tool" >/dev/null || { report FAIL helix/setup "$tool is not installed"; finish; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/rlsp-helix.XXXXXX")"
sock="rlsp-helix-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null
  if [ -n "${RLSP_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------- helix

hx_bin="$helix_dir/build/debug/hx"
if [ ! -x "$hx_bin" ]; then
  if [ ! -f "$helix_src/Cargo.toml" ]; then
    log "fetching Helix $helix_rev into $helix_src"
    { git init --quiet "$helix_src" &&
      git -C "$helix_src" fetch --quiet --depth 1 https://github.com/helix-editor/helix "$helix_rev" &&
      git -C "$helix_src" checkout --quiet FETCH_HEAD; } ||
      { report FAIL helix/build "no Helix source at $helix_src and git fetch failed"; finish; }
  fi
  log "building Helix (cargo build -p helix-term; once, into $helix_dir/build)"
  t0=$SECONDS
  (cd "$helix_src" && RUSTUP_TOOLCHAIN="$toolchain" HELIX_DISABLE_AUTO_GRAMMAR_BUILD=1 \
    CARGO_TARGET_DIR="$helix_dir/build" cargo build --locked --quiet -p helix-term --bin hx) ||
    { report FAIL helix/build "cargo build of Helix failed"; finish; }
  echo "-- Helix built in $((SECONDS - t0)) s"
fi
runtime="$helix_src/runtime"
if [ ! -f "$runtime/grammars/yaml.so" ]; then
  log "compiling the YAML grammar (npm tree-sitter-yaml@$yaml_grammar_version)"
  g="$helix_dir/tree-sitter-yaml"
  rm -rf "$g" && mkdir -p "$g" "$runtime/grammars"
  (cd "$g" && npm pack --silent "tree-sitter-yaml@$yaml_grammar_version" >/dev/null &&
    tar -xzf "tree-sitter-yaml-$yaml_grammar_version.tgz" && cd package &&
    cc -O2 -fPIC -Isrc -c src/parser.c -o parser.o &&
    c++ -O2 -fPIC -Isrc -c src/scanner.cc -o scanner.o &&
    c++ -shared -o "$runtime/grammars/yaml.so" parser.o scanner.o) ||
    { report FAIL helix/build "could not build the YAML grammar"; finish; }
fi

# ---------------------------------------------------------------------------- server

if [ -n "${RLSP_BIN:-}" ]; then
  server="$RLSP_BIN"
else
  log "building the server (cargo build --locked)"
  (cd "$root" && cargo build --locked --quiet) || { report FAIL helix/build "cargo build --locked failed"; finish; }
  server="${CARGO_TARGET_DIR:-$root/target}/debug/rockcraft-lsp"
fi
case "$server" in /*) ;; *) server="$root/$server" ;; esac
mkdir -p "$work/bin"
ln -s "$server" "$work/bin/rockcraft-lsp"

# ---------------------------------------------------------------------------- set-up

home="$work/home"
cfg="$home/.config/helix"
mkdir -p "$cfg/runtime/queries"
cp "$root/editors/helix/languages.toml" "$cfg/languages.toml"
cp -r "$root/editors/helix/runtime/queries/rockcraft" "$cfg/runtime/queries/"
# diagnostics shown as text on their line, whatever this Helix's defaults are
cat >"$cfg/config.toml" <<'TOML'
[editor]
end-of-line-diagnostics = "hint"
[editor.inline-diagnostics]
cursor-line = "disable"
other-lines = "disable"
TOML
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
  XDG_DATA_HOME="$home/.local/share" HELIX_RUNTIME="$runtime" PATH="$work/bin:$PATH"

proj="$work/project"
mkdir -p "$proj/templates"
cp "$root/examples/flask/app.py" "$root/examples/flask/requirements.txt" "$proj/"
printf '<p>hello</p>\n' >"$proj/templates/index.html"
cat >"$proj/rockcraft.yaml" <<'YAML'
name: flask-hello-world
base: ubuntu@24.04
version: "0.1"
summary: A summary of your Flask application
description: |
  The flask project of the Helix integration test.
platforms:
  amd64:

extensions:
  - flask-framework

parts:
  flask-framework/install-app:
    prime:
      - flask/app/templates
      - app.py

services:
  flask:
    override: merge
    environment:
      FLASK_DEBUG: "0"
YAML

# ---------------------------------------------------------------------------- health

nocolour() { sed 's/\x1b\[[0-9;]*m//g'; }
health="$(cd "$proj" && "$hx_bin" --health rockcraft 2>&1 | nocolour)"
printf '%s\n' "$health" >"$work/health.txt"
# health lines: "  ✓ rockcraft-lsp: /path", "Tree-sitter parser: ✓", "Highlight queries: ✓"
has() { printf '%s\n' "$health" | grep -Eq "$1"; }
rm -r "$cfg/runtime/queries/rockcraft"
bare="$(cd "$proj" && "$hx_bin" --health rockcraft 2>&1 | nocolour)"
cp -r "$root/editors/helix/runtime/queries/rockcraft" "$cfg/runtime/queries/"
if has '✓ rockcraft-lsp: /' && has 'Tree-sitter parser: ✓' && has 'Highlight queries: ✓' && has 'Textobject queries: ✓' &&
  has 'Indent queries: ✓' && printf '%s\n' "$bare" | grep -q 'Highlight queries: ✘'; then
  report PASS helix/health "$(printf '%s' "$health" | grep -E 'rockcraft-lsp|parser|queries' | tr -s ' \n' ' ')(without the query files: $(printf '%s\n' "$bare" | grep 'Highlight queries' | tr -s ' '))"
else
  report FAIL helix/health "$(printf '%s' "$health" | tr -s ' \n' ' ') | without the query files: $(printf '%s' "$bare" | grep 'Highlight' | tr -s ' ')"
fi

# ---------------------------------------------------------------------------- tmux

screen() { tmux -L "$sock" capture-pane -p -t hx; }
keys() { tmux -L "$sock" send-keys -t hx "$@"; }
# wait_for REGEX [SECONDS]: poll the screen until REGEX shows (true) or the deadline (false)
wait_for() {
  local deadline=$((SECONDS + ${2:-$wait_s}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    screen | grep -Eq "$1" && return 0
    tmux -L "$sock" has-session -t hx 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
# wait_gone REGEX [SECONDS]: poll the screen until REGEX no longer shows
wait_gone() {
  local deadline=$((SECONDS + ${2:-$wait_s}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    screen | grep -Eq "$1" || return 0
    sleep 0.2
  done
  return 1
}
# Escape alone: sent right before another key, Helix reads the two as one Alt chord, so wait
# until the popup or menu it closes (REGEX) is gone
close() { keys Escape; wait_gone "$1" 5; }
# the screen line that shows a buffer line: "<gutter> <text>"
screen_line() { screen | grep -E "$1" | head -n 1; }

tmux -L "$sock" -f /dev/null new-session -d -s hx -x 160 -y 45 -c "$proj" \
  "env TERM=tmux-256color '$hx_bin' --log '$work/helix.log' -v rockcraft.yaml"
if ! wait_for 'rockcraft\.yaml' 20; then
  report FAIL helix/start "hx did not show rockcraft.yaml: $(screen | tr -s ' \n' ' ')"
  finish
fi

# syntax highlighting through the inherited queries: the `base` key drawn in a theme colour
# (without highlight queries the whole buffer is in the default colour)
if screen_e=$(tmux -L "$sock" capture-pane -e -p -t hx) &&
  printf '%s\n' "$screen_e" | grep -qP '\x1b\[(3[0-7]|9[0-7]|38;[\d;]+)m(\x1b\[[\d;]*m)*base\x1b'; then
  report PASS helix/highlight "the base key is drawn in a theme colour"
else
  report FAIL helix/highlight "no colour on the base key: $(printf '%s\n' "$screen_e" | grep -m1 'base' | cat -v)"
fi

# diagnostic at the end of the `- app.py` line
if wait_for 'app\.py.*does not start with' "$wait_s"; then
  report PASS helix/diagnostic "$(screen_line 'app\.py.*does not start with' | tr -s ' ' | cut -c1-140)"
else
  report FAIL helix/diagnostic "no prime-prefix diagnostic on screen: $(screen | tr -s ' \n' ' ' | cut -c1-400)"
fi
screen >"$work/screen-diagnostic.txt"

# quick fix: select the `app.py` entry (search), open the code actions, pick the prefix fix
keys -l '/- app\.py'
keys Enter
keys Space a
if wait_for 'Prefix with' 10; then
  screen >"$work/screen-actions.txt"
  # the menu's entries in order: move down to the prefix fix, then apply it
  n="$(screen | grep -E '│?[^│]*(Prefix with|Show the expanded|Add |Override)' | grep -n 'Prefix with' | head -n 1 | cut -d: -f1)"
  for _ in $(seq 2 "${n:-1}"); do keys C-n; done
  keys Enter
  if wait_for '^[^a-z]*[0-9]+ +- flask/app/app\.py' 10 &&
    wait_gone 'does not start with' "$wait_s"; then
    report PASS helix/quickfix "$(screen_line 'flask/app/app\.py' | tr -s ' ' | cut -c1-120), diagnostic gone"
  else
    report FAIL helix/quickfix "line not fixed or diagnostic left: $(screen | tr -s ' \n' ' ' | cut -c1-400)"
  fi
else
  report FAIL helix/quickfix "no quick fix in the code action menu: $(screen | tr -s ' \n' ' ' | cut -c1-400)"
fi
screen >"$work/screen-quickfix.txt"

# hover on the flask service: the expansion runs in the background, so ask until it is in
keys -l '/^  flask:'
keys Enter
keys -l ';h' # the cursor on the service name's last letter
found=""
deadline=$((SECONDS + wait_s))
while [ "$SECONDS" -lt "$deadline" ]; do
  keys Space k
  if wait_for 'gunicorn' 3; then found=1; break; fi
  close 'cannot be expanded|gunicorn'
done
if [ -n "$found" ]; then
  report PASS helix/hover "$(screen | grep -m1 -E 'gunicorn' | tr -s ' ' | cut -c1-140)"
else
  report FAIL helix/hover "no gunicorn in the hover: $(screen | tr -s ' \n' ' ' | cut -c1-400)"
fi
screen >"$work/screen-hover.txt"

close 'gunicorn'
keys -l ':q!'
keys Enter
finish
