#!/usr/bin/env bash
# Times two canon builds against each other, interleaved (one run of each in turn), so that a noisy machine
# slows both alike: cold (empty cache), warm (nothing changed) and edit+ (an import appended to one file of a
# copy of the tree before each run, so every rule runs again). Prints each median and minimum and the ratio.
#
#   scripts/ab.sh OLD NEW CORPUS [ROUNDS]     e.g. scripts/ab.sh /tmp/canon-old .build/release/canon /work/cache/corpora 9
#
# The corpus itself is never written to: the edits go to a copy in a temporary folder.
set -euo pipefail
old=${1:?usage: scripts/ab.sh OLD NEW CORPUS [ROUNDS]}
new=${2:?usage: scripts/ab.sh OLD NEW CORPUS [ROUNDS]}
corpus=$(cd "${3:?usage: scripts/ab.sh OLD NEW CORPUS [ROUNDS]}" && pwd)
rounds=${4:-7}
for binary in "$old" "$new"; do [ -x "$binary" ] || { echo "no executable canon at $binary" >&2; exit 1; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/tree"
victim=$(cd "$work/tree" && find . -name '*.py' -size +8k | sort | awk 'NR == 1')
# scan TREE CACHE SIDE: each build writes a report of its own, as it would run alone: replacing a file another
# build has just written costs what that build's way of writing left to do (ext4's writing out on rename).
scan() { echo scan "$1" --format json --output "$work/report-$3.json" --quiet --exit-zero --cache-dir "$2"; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); awk "BEGIN { print $end - $start }"; }

declare -A bin=([old]="$old" [new]="$new")
for side in old new; do
  ${bin[$side]} $(scan "$corpus" "$work/warm-$side" $side) >/dev/null 2>&1 || true
  ${bin[$side]} $(scan "$work/tree" "$work/edit-$side" $side) >/dev/null 2>&1 || true
done
for round in $(seq "$rounds"); do
  for side in old new; do
    rm -rf "$work/cold-$side"
    echo "cold $side $(seconds ${bin[$side]} $(scan "$corpus" "$work/cold-$side" $side))"
    echo "warm $side $(seconds ${bin[$side]} $(scan "$corpus" "$work/warm-$side" $side))"
    echo "import os  # $round $side" >> "$work/tree/$victim"
    echo "edit+ $side $(seconds ${bin[$side]} $(scan "$work/tree" "$work/edit-$side" $side))"
  done
done > "$work/times"
python3 - "$work/times" "$rounds" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    kind, side, value = line.split()
    times[(kind, side)].append(float(value))
print(f"interleaved, {sys.argv[2]} rounds: median (min) of old and new, and new/old of the medians")
for kind in ["cold", "warm", "edit+"]:
    old, new = times[(kind, "old")], times[(kind, "new")]
    print(f"{kind:6} old {statistics.median(old):.3f} s ({min(old):.3f})  new {statistics.median(new):.3f} s ({min(new):.3f})"
          f"  ratio {statistics.median(new) / statistics.median(old):.3f}")
PY
