#!/usr/bin/env bash
# Runs the whole test suite under ThreadSanitizer and AddressSanitizer, each in its own scratch path
# (.build/tsan, .build/asan) so the debug build is left alone. Each is a full rebuild (several minutes on two cores).
#   scripts/sanitizers.sh [thread|address]...   (default: both)
# Exits non-zero when a sanitizer reports a problem or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for sanitizer in "${@:-thread address}"; do
  for kind in $sanitizer; do
    case "$kind" in thread) scratch=.build/tsan ;; address) scratch=.build/asan ;; *) echo "unknown sanitizer '$kind'; use thread or address"; exit 2 ;; esac
    log=$scratch-test.log
    echo "=== swift test --sanitize=$kind (log: $log)"
    mkdir -p "$scratch"
    started=$(date +%s)
    swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" 2>&1 | grep -E 'error|warning: .*sanitiz|Build complete' || true
    built=$(date +%s)
    set +e
    # halt_on_error makes a report fail the run instead of only printing it.
    TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" ASAN_OPTIONS="detect_leaks=0 ${ASAN_OPTIONS:-}" \
      swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" > "$log" 2>&1
    code=$?
    set -e
    grep -E "Test run with|Executed .* tests|WARNING: (ThreadSanitizer|AddressSanitizer)|ERROR: AddressSanitizer|SUMMARY:" "$log" | sort | uniq -c || true
    echo "build $(( built - started )) s, tests $(( $(date +%s) - built )) s, exit $code"
    if [ "$code" -ne 0 ] || grep -qE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$log"; then status=1; fi
  done
done
exit $status
