#!/usr/bin/env bash
# README quick-start command 2: installs what is missing, then builds and runs every test.
# Steps: (a) the Bazel suite; (b) the input-parsing libraries' tests under ASan+UBSan, built
# with clang and the fuzzers' flags (--config=fuzz) in the output base .cache/fuzz
# (THROMBO_ASAN_ALL=1: the whole suite); (c) each libFuzzer target (tests/fuzz) for
# THROMBO_FUZZ_SECONDS (default 45) over its seed corpus and regressions, whose build (b) has
# already made. The output base is under the checkout and gitignored. THROMBO_SANITIZERS=0 runs
# step (a) only.
# Ends with the line `N passed, M failed, K skipped`, counted over the layering check
# (scripts/check_layers.sh), the Bazel test targets of (a) and (b) plus one per fuzzer, and
# exits non-zero when any test failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || exit 1

# Tests that read the public compatibility data find it beside the checkout when it exists.
# Under CI (CI=true) the data is always laid beside the clone, so a test that cannot find it
# fails instead of skipping (tests/testing/shared_data.h); THROMBO_REQUIRE_SHARED_DATA=0|1
# overrides.
shared_data="$(cd .. && pwd)/shared/data"
require_shared_data=${THROMBO_REQUIRE_SHARED_DATA:-$([[ ${CI:-} == true ]] && echo 1 || echo 0)}

# A throwaway PostgreSQL server for the fleet store's tests (service/store:pg_store_test,
# tests/e2e:replicas_e2e_test, ...): scripts/pg_cluster.sh in .cache/pg, stopped by PID on exit.
# Its conninfo reaches the tests as THROMBO_TEST_PG; under CI a test that finds none fails
# (tests/testing/pg_server.h), elsewhere it skips. THROMBO_REQUIRE_PG=0|1 overrides.
require_pg=${THROMBO_REQUIRE_PG:-$([[ ${CI:-} == true ]] && echo 1 || echo 0)}
pg_conninfo=$(scripts/pg_cluster.sh start 2>/dev/null) ||
  { echo "test.sh: could not start a PostgreSQL server; its tests skip (or fail under CI)" >&2
    pg_conninfo=""; }

log=$(mktemp)
trap 'rm -f "$log"; scripts/pg_cluster.sh stop >/dev/null 2>&1' EXIT
total_passed=0
total_failed=0
total_skipped=0
summary=()

# GoogleTest cases that skipped themselves (GTEST_SKIP) in the test logs under $1, which Bazel
# reports as PASSED: one "[  SKIPPED ] Suite.Name (N ms)" line each.
count_skipped() {
  local testlogs=$1
  [[ -d $testlogs ]] || { echo 0; return; }
  find -L "$testlogs" -name test.log -print0 2>/dev/null |
    xargs -0 -r grep -hcE '^\[  SKIPPED \] [^ ]+ \([0-9]+ ms\)$' 2>/dev/null |
    awk '{ n += $1 } END { print n + 0 }'
}

# Counts one Bazel run's result lines from $log into the totals. $1: step name, $2: exit status,
# $3: that run's bazel-testlogs folder.
count_bazel() {
  local step=$1 status=$2 testlogs=$3 passed failed skipped
  passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
  failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|INCOMPLETE|REMOTE FAILURE|NO STATUS|FAILED TO BUILD)' "$log")
  # A build that broke before any test ran still counts as a failure.
  if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
  skipped=$(count_skipped "$testlogs")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  summary+=("${step}: ${passed} passed, ${failed} failed (${skipped} test cases skipped)")
}

# (0) The layers (docs/architecture.md): no dependency runs up them, and visibility refuses one.
start=$SECONDS
if scripts/check_layers.sh; then
  total_passed=$((total_passed + 1)); summary+=("layers: 1 passed, 0 failed ($((SECONDS - start)) s)")
else
  total_failed=$((total_failed + 1)); summary+=("layers: 0 passed, 1 failed ($((SECONDS - start)) s)")
fi

# (a) The normal suite.
start=$SECONDS
bazel test //... --keep_going --test_summary=short \
  --test_env=THROMBO_SHARED_DATA="$shared_data" \
  --test_env=THROMBO_REQUIRE_SHARED_DATA="$require_shared_data" \
  --test_env=THROMBO_TEST_PG="$pg_conninfo" --test_env=THROMBO_REQUIRE_PG="$require_pg" \
  "$@" 2>&1 | tee "$log"
count_bazel "suite" "${PIPESTATUS[0]}" "$(bazel info bazel-testlogs 2>/dev/null)"
summary[-1]+=" ($((SECONDS - start)) s)"

if [[ ${THROMBO_SANITIZERS:-1} != 0 ]]; then
  # (b) The libraries that parse untrusted input, and their tests, under ASan+UBSan: base, fhir, risk,
  # service/cds, service/auth, the golden vignettes and the fuzz targets with their replay tests.
  # The rest (gRPC, HTTP, store, CLI, e2e, synth, compat) only with THROMBO_ASAN_ALL=1: its cold
  # build on two cores would break CI's time limit. Explicit packages, never //...: another
  # output base's bazel-<name> links would be walked as source directories.
  # Built with the fuzzers' configuration (clang; .bazelrc --config=fuzz), not gcc's
  # --config=asan, so that one cold build serves both this step and (c): the two used to compile
  # the same libraries twice. UBSan is recoverable there only for tests/fuzz/ubsan.supp (a
  # third-party header); halt_on_error makes every other report a failure, as under --config=asan.
  start=$SECONDS
  patterns=(//base/... //fhir/... //risk/... //service/cds/... //service/auth/...
            //tests/golden/... //tests/fuzz/...)
  if [[ ${THROMBO_ASAN_ALL:-0} != 0 ]]; then
    patterns=(//:all)
    for dir in */; do
      dir=${dir%/}
      [[ $dir == bazel-* || -z $(find "$dir" -name BUILD -o -name BUILD.bazel | head -1) ]] && continue
      patterns+=("//$dir/...")
    done
  fi
  sanitizer_base="$PWD/.cache/fuzz"
  bazel --output_base="$sanitizer_base" test --config=fuzz --keep_going --test_summary=short \
    --test_env=UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/tests/fuzz/ubsan.supp" \
    --test_env=ASAN_OPTIONS=detect_leaks=1 \
    --test_env=THROMBO_SHARED_DATA="$shared_data" \
    --test_env=THROMBO_REQUIRE_SHARED_DATA="$require_shared_data" \
    --test_env=THROMBO_TEST_PG="$pg_conninfo" --test_env=THROMBO_REQUIRE_PG="$require_pg" \
    "${patterns[@]}" 2>&1 |
    tee "$log"
  count_bazel "asan suite" "${PIPESTATUS[0]}" \
    "$(bazel --output_base="$sanitizer_base" info --config=fuzz bazel-testlogs 2>/dev/null)"
  summary[-1]+=" ($((SECONDS - start)) s)"

  # (c) The fuzzers, one test each (built in (b)'s output base).
  start=$SECONDS
  tests/fuzz/run.sh --seconds "${THROMBO_FUZZ_SECONDS:-45}" 2>&1 | tee "$log"
  fuzz_status=${PIPESTATUS[0]}
  passed=$(grep -cE '^fuzz [a-z_]+: PASSED' "$log")
  failed=$(grep -cE '^fuzz [a-z_]+: FAILED' "$log")
  if [[ $fuzz_status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("fuzzers: ${passed} passed, ${failed} failed ($((SECONDS - start)) s)")
fi

printf '%s\n' "${summary[@]}"
# Bazel counts a target whose cases all skipped as passed; the skipped cases are said here.
echo "${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
[[ $total_failed -eq 0 ]]
