#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined: --config=fuzz in
# .bazelrc) in their own Bazel output base under the checkout (.cache/fuzz, gitignored), then
# runs each for a fixed time over its seed corpus and its regressions.
#
#   tests/fuzz/run.sh [--seconds N] [--build-only] [--keep-corpus] [target ...]
#
# Targets default to all five (see BUILD). New corpus entries go to a scratch directory that is
# deleted afterwards, unless --keep-corpus keeps them in .cache/fuzz-out/<target>/corpus; crash
# and timeout reproducers go to .cache/fuzz-out/<target>/ (save real findings under
# regressions/<target>/). For each target prints `fuzz <target>: PASSED|FAILED (...)`, and
# exits non-zero when a target failed to build or found something.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

seconds=60
build_only=0
keep_corpus=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --keep-corpus) keep_corpus=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  targets=(fhir_json_fuzzer json_index_fuzzer cds_hook_fuzzer grpc_hook_fuzzer dosing_text_fuzzer
           jwt_fuzzer policy_fuzzer)
fi

output_base="$repo/.cache/fuzz"
out_root="$repo/.cache/fuzz-out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

labels=()
for t in "${targets[@]}"; do labels+=("//tests/fuzz:$t"); done
if ! bazel --output_base="$output_base" build --config=fuzz --keep_going "${labels[@]}"; then
  for t in "${targets[@]}"; do echo "fuzz $t: FAILED (build)"; done
  exit 1
fi
((build_only)) && exit 0

# UBSan: abort on the first report (the checks are recoverable only so that ubsan.supp works).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$repo/tests/fuzz/ubsan.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
bin_dir=$(bazel --output_base="$output_base" info --config=fuzz bazel-bin 2>/dev/null)
failed=0
for t in "${targets[@]}"; do
  out="$out_root/$t"
  mkdir -p "$out"
  if ((keep_corpus)); then corpus="$out/corpus"; else corpus="$scratch/$t"; fi
  mkdir -p "$corpus"
  seeds="tests/fuzz/corpus/$t"
  regressions="tests/fuzz/regressions/$t"
  mkdir -p "$regressions"
  dict=()
  [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="tests/fuzz/$t.dict")
  start=$SECONDS
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a memory blow-up is a finding.
  if "$bin_dir/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
      -max_len=131072 -print_final_stats=1 -artifact_prefix="$out/" "${dict[@]}" \
      "$corpus" "$seeds" "$regressions" >"$out/log.txt" 2>&1; then
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out/log.txt" | grep -oE '[0-9]+$' || true)
    echo "fuzz $t: PASSED ($((SECONDS - start)) s, ${execs:-?} runs)"
  else
    failed=$((failed + 1))
    echo "fuzz $t: FAILED ($((SECONDS - start)) s; log and reproducer in $out/)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
      "$out/log.txt" | head -5 || true
  fi
done
((failed == 0))
