#!/usr/bin/env bash
# Differential test of Canon's Python front end against CPython 3.13's `ast`.
#
#   Tests/Differential/run.sh ROOT...
#
# For each ROOT, runs `$CANON facts --format json ROOT` (default: .build/debug/canon) and compares its imports,
# classes and parse errors with what `ast_facts.py` computes, printing the agreement per root. Exits non-zero
# unless every file of every root agrees.
#
# Environment: CANON (the canon binary), PYTHON (a Python 3.13; default python3.13 on PATH), LIMIT (how many
# disagreements to print per root, default 10). Build the binary first (`swift build`).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
canon=${CANON:-$repo/.build/debug/canon}
python=${PYTHON:-$(command -v python3.13 || true)}
limit=${LIMIT:-10}

if [ $# -eq 0 ]; then
    echo "usage: $0 ROOT..." >&2
    exit 2
fi
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))'; then
    echo "error: needs Python 3.13 (set PYTHON=/path/to/python3.13)" >&2
    exit 2
fi

[ -x "$canon" ] || { echo "error: $canon not found; run 'swift build' first or set CANON" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for root in "$@"; do
    root=$(cd "$root" && pwd)
    out="$work/canon.json"
    "$canon" facts --format json "$root" > "$out"
    "$python" "$here/ast_facts.py" compare "$root" "$out" -n "$limit" || status=1
done
exit $status
