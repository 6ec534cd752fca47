#!/usr/bin/env bash
# Times the command line as whole processes: builds the release binary and prints a Markdown
# table (see bench/cli.py for the options, e.g. --runs 50 or --baseline OLD_BINARY).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/cli.py "$@"
