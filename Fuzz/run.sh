#!/usr/bin/env bash
# Builds a libFuzzer target (python, swift, policy or rpc) with the fuzzer and address sanitizer and runs it for
# SECONDS (default 60) on its corpus in Fuzz/corpus/TARGET. Usage:
#   Fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   Fuzz/run.sh TARGET --merge [DIR...]  # minimise Fuzz/corpus/TARGET, adding what the folders DIR add to coverage
#   Fuzz/run.sh TARGET --build      # build only
# The build goes to Fuzz/.build (its own scratch path), so the package's normal build is untouched. New inputs
# found while fuzzing go to a throwaway folder, folded into the corpus afterwards when FUZZ_MERGE=1. A crash, hang (over
# 1 s per input) or leak of memory (over 2 GB) stops the run: the reproducer is kept under Fuzz/crashes/, its path and
# base64 printed, and the script exits 1.
# The braces make bash read the whole script before running it, so editing it during a run is harmless.
{
set -euo pipefail
cd "$(dirname "$0")"
fuzz=$(pwd)
target=${1:?usage: Fuzz/run.sh python|swift|policy|rpc [SECONDS|--merge|--build]}
case "$target" in python|swift|policy|rpc) ;; *) echo "unknown fuzz target '$target'; use python, swift, policy or rpc"; exit 2 ;; esac
mode=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))

# `-sanitize=fuzzer` would link libFuzzer's own main, which clashes with the one SwiftPM gives executables; so
# the code gets libFuzzer's coverage instrumentation and ASan, and the executable libFuzzer without its main.
libfuzzer=$(ls "$(dirname "$(readlink -f "$(command -v swiftc)")")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -1)
[ -n "$libfuzzer" ] || { echo "libclang_rt.fuzzer_no_main is not in this Swift toolchain; fuzzing needs the Linux toolchain's compiler-rt"; exit 1; }
swift build --scratch-path "$fuzz/.build" --product "fuzz-$target" \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xlinker --whole-archive -Xlinker "$libfuzzer" -Xlinker --no-whole-archive -Xlinker -lstdc++ 2>&1 \
  | grep -Ev '^\[[0-9]+/[0-9]+\]|Cannot export local symbol' || true
binary="$fuzz/.build/debug/fuzz-$target"
[ -x "$binary" ] || { echo "the fuzz target fuzz-$target did not build"; exit 1; }
[ "$mode" = "--build" ] && exit 0

corpus="$fuzz/corpus/$target"
mkdir -p "$corpus" "$fuzz/crashes"
# LeakSanitizer is off, in libFuzzer and at exit: it reports lazily made globals (static lets) alive at exit.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
flags=(-timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 -print_final_stats=1 -detect_leaks=0)
dictionary="$fuzz/dictionaries/$target.dict"
[ -f "$dictionary" ] && flags+=(-dict="$dictionary")

if [ "$mode" = "--merge" ]; then
  merged=$(mktemp -d)
  # The smallest set of inputs (cut to 1 KB) that keeps the coverage, so the corpus stays small in the repository.
  "$binary" "${flags[@]}" -max_len=1024 -set_cover_merge=1 "$merged" "$corpus" "$@" 2>&1 \
    | grep -E '^MERGE-OUTER: [0-9]+ new|ERROR|SUMMARY' || true
  rm -rf "$corpus" && mv "$merged" "$corpus"
  echo "corpus/$target: $(ls "$corpus" | wc -l) files, $(( $(cat "$corpus"/* | wc -c) / 1024 )) KB"
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$corpus"/* "$scratch"/ 2>/dev/null || true
set +e
"$binary" "${flags[@]}" -max_total_time="$mode" -artifact_prefix="$fuzz/crashes/$target-" "$scratch" "$@" 2>&1 \
  | tee "$fuzz/.build/fuzz-$target.log" | grep -Ev '^#[0-9]+\s+(NEW|REDUCE|pulse)'
code=${PIPESTATUS[0]}
set -e
grep -E '^#[0-9]+\s+(DONE|INITED)|^stat::' "$fuzz/.build/fuzz-$target.log" || true
if [ "$code" -eq 0 ] && [ "${FUZZ_MERGE:-0}" = 1 ]; then
  "$0" "$target" --merge "$scratch"
  exit 0
fi
if [ "$code" -ne 0 ]; then
  for reproducer in "$fuzz"/crashes/"$target"-*; do
    [ -f "$reproducer" ] || continue
    echo "reproducer: $reproducer"
    echo "base64: $(base64 -w0 "$reproducer")"
  done
  echo "fuzz-$target failed (exit $code); rerun one input with: $binary $fuzz/crashes/<file>"
  exit 1
fi
exit 0
}
