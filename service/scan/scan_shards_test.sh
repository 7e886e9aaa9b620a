#!/bin/bash
# Three `thrombo scan --shard=I/3` processes at once, merged with `thrombo scan merge`, give the
# bytes of one unsharded scan (docs/scan.md, "Beyond one machine"); stderr carries no progress
# line when it is not a terminal.
set -euo pipefail
THROMBO="$1"
T="${TEST_TMPDIR:-$(mktemp -d)}"
NOW=2026-11-30T12:00:00Z

"$THROMBO" synth --format=bulk --patients=150 --seed=5 --now="$NOW" --out="$T/bulk" \
  --bulk_file_resources=400
"$THROMBO" scan --bulk="$T/bulk" --now="$NOW" --out="$T/whole" --threads=1 2> "$T/whole.err"
pids=()
for i in 0 1 2; do
  "$THROMBO" scan --bulk="$T/bulk" --now="$NOW" --out="$T/shard$i" --shard="$i/3" --threads=1 \
    2> "$T/shard$i.err" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
"$THROMBO" scan merge --out="$T/merged" "$T/shard0" "$T/shard1" "$T/shard2"

for f in gaps.ndjson gaps.csv report.html bad_lines.ndjson summary.json; do
  cmp "$T/whole/$f" "$T/merged/$f" || { echo "merged $f differs from the unsharded scan"; exit 1; }
done
test -s "$T/whole/gaps.ndjson" || { echo "no gaps rows"; exit 1; }
for i in 0 1 2; do
  test -s "$T/shard$i/gaps.ndjson" || { echo "shard $i scanned no IMiD patient"; exit 1; }
done
if grep -q "partition:" "$T/whole.err"; then echo "progress line printed without a TTY"; exit 1; fi
grep -q "150 patients" "$T/whole.err" || { echo "no closing figures line"; cat "$T/whole.err"; exit 1; }
# A bad shard argument is a usage error (exit 2), not a crash.
set +e
"$THROMBO" scan --bulk="$T/bulk" --out="$T/x" --shard=3/3 2> /dev/null
rc=$?
set -e
test "$rc" -eq 2 || { echo "--shard=3/3 exited $rc, want 2"; exit 1; }
echo PASS
