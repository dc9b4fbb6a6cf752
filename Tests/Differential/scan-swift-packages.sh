#!/usr/bin/env bash
# Scans every Swift package checked out by swift-packages.sh (DEST/OWNER/NAME), each as its own project, and
# fails when a scan crashes or errs (exit code over 1). Prints files, findings and duplicate type names per
# package, and fails unless duplicate_definition reports something across the packages' targets.
# Usage: scan-swift-packages.sh CANON DEST
set -euo pipefail
canon=${1:?usage: scan-swift-packages.sh CANON DEST}
dest=${2:?usage: scan-swift-packages.sh CANON DEST}
python=${PYTHON:-python3}
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
for package in $(cd "$dest" && find . -mindepth 2 -maxdepth 2 -type d | sed 's|^\./||' | sort); do
  set +e
  "$canon" scan "$dest/$package" --format json --output "$reports/$(echo "$package" | tr / _).json" --quiet
  code=$?
  set -e
  [ "$code" -le 1 ] || { echo "canon scan $package exited $code"; exit 1; }
done
"$python" - "$reports" <<'PY'
import collections, glob, json, os, sys
total = collections.Counter()
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    report = json.load(open(path))
    rules = collections.Counter(f["rule"] for f in report["findings"])
    s = report["summary"]
    total.update(files=s["files"], findings=s["findings"], errors=s["errors"], **rules)
    print(f'{os.path.basename(path)[:-5]}: {s["files"]} files, {s["findings"]} findings '
          f'({rules["duplicate_definition"]} duplicate_definition), {s["errors"]} not parsed')
print("total:", ", ".join(f"{key} {value}" for key, value in sorted(total.items())))
if total["duplicate_definition"] == 0:
    sys.exit("no duplicate type names were reported across the packages' targets")
PY
