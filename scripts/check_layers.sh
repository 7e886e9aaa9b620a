#!/usr/bin/env bash
# Proves the layering of docs/architecture.md: base <- proto <- fhir <- risk <- service, tests
# over all, and the shipped binary free of test code.
#   1. bazel query finds no library whose dependencies run up the layers;
#   2. visibility rejects a new such dependency: a throwaway package under fhir/ that depends on
#      risk/ must fail to build with "is not visible" (it is removed again whatever happens).
# Prints "layers: PASSED" or "layers: FAILED" with the offending edges; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
# $1: what must hold; $2: a query that must be empty.
expect_empty() {
  local what=$1 query=$2 found
  if ! found=$(bazel query --noshow_progress "$query" 2>/tmp/check_layers.$$); then
    echo "layers: query failed for '$what':" >&2
    cat /tmp/check_layers.$$ >&2
    failed=1
  elif [[ -n $found ]]; then
    echo "layers: $what, but:" >&2
    echo "$found" | sed 's/^/  /' >&2
    failed=1
  fi
  rm -f /tmp/check_layers.$$
}

ours='//proto/... + //fhir/... + //risk/... + //service/... + //tests/...'
expect_empty "base/ depends on no other layer" \
  "deps(kind('cc_library', //base/...)) intersect ($ours)"
expect_empty "fhir/ libraries depend on no higher layer" \
  "deps(kind('cc_library', //fhir/...)) intersect (//risk/... + //service/... + //tests/...)"
expect_empty "risk/ libraries depend on neither service/ nor tests/" \
  "deps(kind('cc_library', //risk/...) except attr('testonly', 1, //risk/...)) intersect (//service/... + //tests/...)"
expect_empty "service/ libraries depend on no test code" \
  "deps(kind('cc_library', //service/...) except attr('testonly', 1, //service/...)) intersect //tests/..."
expect_empty "the thrombo binary links no test code" \
  "deps(//service:thrombo) intersect (//tests/... + attr('testonly', 1, //...))"

# A dependency up the layers must not even build.
probe=fhir/layering_probe
rm -rf "$probe"
mkdir -p "$probe"
trap 'rm -rf "$probe"' EXIT
cat >"$probe/BUILD" <<'PROBE'
cc_library(
    name = "probe",
    deps = ["//risk:engine"],
)
PROBE
if out=$(bazel build --noshow_progress "//$probe:probe" 2>&1); then
  echo "layers: visibility let //$probe:probe (fhir/) depend on //risk:engine" >&2
  failed=1
elif ! grep -q "is not visible" <<<"$out"; then
  echo "layers: //$probe:probe failed to build, but not for visibility:" >&2
  echo "$out" | tail -5 >&2
  failed=1
fi

if ((failed)); then
  echo "layers: FAILED"
  exit 1
fi
echo "layers: PASSED"
