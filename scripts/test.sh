#!/usr/bin/env bash
# README quick-start command 2: installs what is missing, then builds and runs every test.
# Ends with the line `N passed, M failed` (counted over Bazel test targets) and exits non-zero
# when any test failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || exit 1

# Tests that read the public compatibility data find it beside the checkout when it exists.
shared_data="$(cd .. && pwd)/shared/data"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bazel test //... --keep_going --test_summary=short \
  --test_env=THROMBO_SHARED_DATA="$shared_data" "$@" 2>&1 | tee "$log"
bazel_status=${PIPESTATUS[0]}

passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|INCOMPLETE|REMOTE FAILURE|NO STATUS|FAILED TO BUILD)' "$log")
# A build that broke before any test ran still counts as a failure.
if [[ $bazel_status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 && $bazel_status -eq 0 ]]
