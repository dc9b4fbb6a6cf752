#!/usr/bin/env bash
# Compares Canon with ruff and ripgrep on one tree, side by side in one run: the median of RUNS runs (default 5)
# of each, interleaved (a round is one run of each in turn) after one untimed round that warms the page cache,
# and the ratios.
#
#   scripts/compare.sh CORPUS            e.g. scripts/compare.sh /work/cache/corpora
#
#   canon cold   canon scan with an empty cache folder (parse everything, run every rule, write the cache)
#   canon warm   the same again with that cache and nothing changed
#   canon edit   one file changed (a comment appended) before each run: its facts stay the same, so the
#                findings of the last run are kept and only that file's are fingerprinted again
#   canon edit+  one file changed (an import appended) before each run: its facts change, so every rule runs
#                again over the whole project (both edits on a copy of the tree in a temporary folder, so the
#                corpus itself is never touched; EDIT=0 to leave them out)
#   ruff         ruff check --no-cache --isolated --select TID251,PLW0603 --exit-zero (the bar)
#   rg           rg -c '^\s*(from|import)\s' over the same Python files (close to the cost of reading them)
#
# Environment: CANON (default .build/release/canon), RUFF (ruff), RG (rg), RUNS (5), EDIT (1). Peak resident
# memory (from /usr/bin/time) is printed beside each time. Measure Canon as the README installs it, built with
# `swift build -c release --static-swift-stdlib --product canon`: linked against the shared Swift libraries (plain
# `swift build -c release`) it starts later and every call into them goes through the dynamic linker's tables,
# 3 to 5% slower on the shared corpora.
set -euo pipefail
corpus=${1:?usage: scripts/compare.sh CORPUS}
corpus=$(cd "$corpus" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
canon=${CANON:-$repo/.build/release/canon}
ruff=${RUFF:-ruff}
rg=${RG:-rg}
runs=${RUNS:-5}
edit=${EDIT:-1}
[ -x "$canon" ] || { echo "no canon at $canon; build it with 'swift build -c release --static-swift-stdlib --product canon' or set CANON" >&2; exit 1; }
command -v "$ruff" >/dev/null || { echo "ruff is not on PATH (pip install ruff) or set RUFF" >&2; exit 1; }
command -v "$rg" >/dev/null || { echo "rg is not on PATH or set RG" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed for peak memory" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results"
: > "$results"

# The arguments of a canon scan of tree $1 with cache folder $2 (a JSON report, as CI would write).
scan() { echo "$canon" scan "$1" --format json --output "$work/report.json" --quiet --exit-zero --cache-dir "$2"; }

# once NAME OUT: one run of NAME after what it needs done first, its "NAME seconds kilobytes" appended to OUT.
once() {
  local name=$1 out=$2
  case $name in
    canon-cold) rm -rf "$work/cold"; set -- $(scan "$corpus" "$work/cold") ;;
    canon-warm) set -- $(scan "$corpus" "$work/warm") ;;
    canon-edit) echo "# edited by compare.sh" >> "$work/tree/$victim"; set -- $(scan "$work/tree" "$work/edit") ;;
    canon-edit+) echo "import os" >> "$work/tree/$victim"; set -- $(scan "$work/tree" "$work/edit") ;;
    ruff) set -- "$ruff" check --no-cache --isolated --select TID251,PLW0603 --exit-zero --quiet "$corpus" ;;
    rg) set -- "$rg" -c --type py '^\s*(from|import)\s' "$corpus" ;;
  esac
  # Wall time to the microsecond, from the fork to the child's exit as `time` measures it (`time` itself gives
  # hundredths of a second, a tenth of a short scan's ratio), and the child's peak memory.
  python3 - "$name" "$out" "$@" <<'PY'
import os, subprocess, sys, time
name, out, command = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.perf_counter()
child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
with open(out, "a") as results:
    results.write(f"{name} {seconds:.6f} {usage.ru_maxrss}\n")
PY
}

names="canon-cold canon-warm"
$(scan "$corpus" "$work/warm") >/dev/null 2>&1 || true
if [ "$edit" = 1 ]; then
  cp -r "$corpus" "$work/tree"
  victim=$(cd "$work/tree" && find . -name '*.py' -size +8k | sort | awk 'NR == 1')
  $(scan "$work/tree" "$work/edit") >/dev/null 2>&1 || true
  names="$names canon-edit canon-edit+"
fi
names="$names ruff rg"
# One untimed round, then RUNS timed ones, each of one run of everything in turn: a machine whose speed drifts
# during the measurement (it does here, by 10% and more over a minute) slows each alike.
for name in $names; do once "$name" /dev/null; done
for _ in $(seq "$runs"); do
  for name in $names; do once "$name" "$results"; done
done

files=$(cd "$corpus" && find . -name '*.py' -o -name '*.pyi' | wc -l)
megabytes=$(cd "$corpus" && find . \( -name '*.py' -o -name '*.pyi' \) -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.0f", $1 / 1e6}')
python3 - "$results" "$corpus" "$files" "$megabytes" "$runs" "$(nproc)" <<'PY'
import statistics, sys
path, corpus, files, megabytes, runs, cores = sys.argv[1:]
times, memory = {}, {}
for line in open(path):
    name, seconds, kilobytes = line.split()
    times.setdefault(name, []).append(float(seconds))
    memory.setdefault(name, []).append(int(kilobytes))
median = {name: statistics.median(values) for name, values in times.items()}
print(f"{corpus}: {files} Python files, {megabytes} MB; median of {runs} runs on {cores} cores")
print(f"{'':12} {'median':>8} {'min':>8} {'max':>8} {'peak RSS':>10}")
for name in ["canon-cold", "canon-warm", "canon-edit", "canon-edit+", "ruff", "rg"]:
    if name in median:
        values = times[name]
        print(f"{name:12} {median[name]:7.3f}s {min(values):7.3f}s {max(values):7.3f}s {max(memory[name]) / 1024:7.0f} MiB")
print()
def ratio(a, b):
    if a in median and b in median and median[b] > 0:
        print(f"{a + ' / ' + b:26} {median[a] / median[b]:6.3f}")
ratio("canon-cold", "ruff")
ratio("canon-cold", "rg")
ratio("canon-warm", "canon-cold")
ratio("canon-edit", "canon-cold")
ratio("canon-edit+", "canon-cold")
PY
