#!/usr/bin/env bash
# Copyright 2026 The Thrombo Authors.
# Builds the release `thrombo` with GCC profile-guided optimization (PGO) and copies it to OUT
# (default out/release/thrombo). The same code as `bazel build -c opt //service:thrombo`, laid out
# by how it runs: about a tenth more hook calls a second on the same cores (docs/benchmarks.md,
# "twentieth round"). Offline, like every build here:
#   1. an instrumented build (-fprofile-generate), in an output base of its own under .cache/pgo;
#   2. a training run of it on traffic the project makes itself: order-sign hook calls over HTTP
#      and gRPC (tests/load/make_requests, seed 11; the load benchmark sends seed 7), the three
#      hooks of examples/, and `thrombo scan` of a synthetic bulk export;
#   3. the optimized build (-fprofile-use) in that output base. Code the training did not run is
#      optimized as without a profile (-fprofile-partial-training).
# Then the golden cases and the differential test must pass on the same optimized objects, and the
# binary must answer the order-sign example with its card, or the script fails.
#
#   scripts/build_release.sh [OUT]
#
# Knobs (environment): TRAIN_HTTP_PORT TRAIN_GRPC_PORT (18580, 18581).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${1:-$ROOT/out/release/thrombo}
HTTP_PORT=${TRAIN_HTTP_PORT:-18580}
GRPC_PORT=${TRAIN_GRPC_PORT:-18581}
NOW=2026-11-25T12:00:00Z

scripts/setup.sh
# shellcheck source=tests/load/served.sh
source tests/load/served.sh

log() { echo "release: $*" >&2; }

PGO=$ROOT/.cache/pgo
PROFILE=$PGO/profile
# GCC names each object's profile by the object's absolute path, so both builds compile in one
# place: their own output base (the usual one keeps its -c opt objects), outside Bazel's sandbox,
# whose directory changes from action to action.
PGO_BAZEL=(bazel "--output_base=$PGO/output_base")
WORK=$(mktemp -d /tmp/thrombo-release.XXXXXX)
SERVER_PID=
cleanup() {
  local rc=$?
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # The PGO output base's Bazel server would otherwise idle for hours holding its memory.
  "${PGO_BAZEL[@]}" shutdown >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PGO_FLAGS=(-c opt --symlink_prefix=/ --spawn_strategy=local "--copt=-fprofile-dir=$PROFILE")
built() {  # the path of a target's output in the PGO output base
  echo "$PGO/output_base/execroot/thrombo/bazel-out/k8-opt/bin/$1"
}
in_build() {  # runs the build, showing its log only when it fails
  "$@" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
}
start_server() {  # BINARY NAME: serves on the training ports until ready (log: $WORK/NAME.log)
  "$1" serve --allow_unauthenticated --listen=127.0.0.1 --http_port="$HTTP_PORT" \
    --grpc_port="$GRPC_PORT" --db="$WORK/$2.sqlite" 2>"$WORK/$2.log" &
  SERVER_PID=$!
  server_ready "$HTTP_PORT" "$SERVER_PID" 30 && return
  log "$1 did not become ready"
  tail -20 "$WORK/$2.log" >&2
  exit 1
}

log "building the tools that send the training traffic (-c opt)"
in_build bazel build -c opt --symlink_prefix="$WORK/tools-" \
  //tests/load:make_requests //tests/load:http_load //tests/load:grpc_load
TOOLS=$(readlink -f "$WORK/tools-bin")/tests/load

log "1/3 instrumented build"
rm -rf "$PROFILE"
mkdir -p "$PROFILE"
# Counters updated atomically: the server's threads share them.
in_build "${PGO_BAZEL[@]}" build "${PGO_FLAGS[@]}" --copt=-fprofile-generate \
  --copt=-fprofile-update=prefer-atomic --linkopt=-fprofile-generate //service:thrombo
INSTRUMENTED=$WORK/thrombo-instrumented
cp "$(built service/thrombo)" "$INSTRUMENTED"

log "2/3 training"
mkdir -p "$WORK/req"
"$TOOLS/make_requests" --n=200 --seed=11 --now="$NOW" --out="$WORK/req" --grpc >/dev/null
start_server "$INSTRUMENTED" train
for hook in patient-view order-select order-sign; do
  example=$(ls examples/"$hook"*.json)
  for _ in $(seq 1 20); do
    curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary "@$example" \
      "http://127.0.0.1:$HTTP_PORT/cds-services/thrombo-$hook"
  done
done
"$TOOLS/http_load" --port="$HTTP_PORT" --dir="$WORK/req" --connections=2 --requests=3000 \
  --warmup=0 --max_seconds=120 >/dev/null
"$TOOLS/grpc_load" --target="127.0.0.1:$GRPC_PORT" --dir="$WORK/req" --connections=2 \
  --requests=1000 --warmup=0 --max_seconds=120 >/dev/null
# The counters are written when the server exits after SIGTERM.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { tail -20 "$WORK/train.log" >&2; exit 1; }
SERVER_PID=
"$INSTRUMENTED" synth --format=bulk --patients=300 --seed=11 --now="$NOW" --out="$WORK/bulk" \
  >/dev/null
"$INSTRUMENTED" scan --bulk="$WORK/bulk" --now="$NOW" --out="$WORK/scan" >/dev/null
[[ -n $(find "$PROFILE" -name '*.gcda' -print -quit) ]] || { log "training left no profile"; exit 1; }

log "3/3 optimized build"
# Bazel does not see the profile as an input; every object is compiled again all the same, since
# the instrumented build has just replaced it. Training runs on threads, so the profile, and the
# binary, differ a little from one release build to the next; the log names the profile's digest.
profile_id=$(find "$PROFILE" -name '*.gcda' -print0 | sort -z | xargs -0 cat | sha256sum |
  cut -c1-16)
USE_FLAGS=("${PGO_FLAGS[@]}" --copt=-fprofile-use --copt=-fprofile-partial-training
  --copt=-fprofile-correction --copt=-Wno-missing-profile)
in_build "${PGO_BAZEL[@]}" build "${USE_FLAGS[@]}" //service:thrombo

# The golden cases and the differential test, linked from the very objects of the binary: the
# answers must not depend on how the compiler laid the code out.
log "testing the optimized objects (golden cases, differential test)"
in_build "${PGO_BAZEL[@]}" test "${USE_FLAGS[@]}" //tests/golden/... \
  //tests/differential:differential_test
# Checked before it is copied: OUT keeps the last good binary if this one fails.
CANDIDATE=$WORK/thrombo
install -m 0755 "$(built service/thrombo)" "$CANDIDATE"
log "checking the binary"
start_server "$CANDIDATE" check
answer=$(curl -fsS -H 'Content-Type: application/json' \
  --data-binary @examples/order-sign-thalidomide.json \
  "http://127.0.0.1:$HTTP_PORT/cds-services/thrombo-order-sign") ||
  { tail -20 "$WORK/check.log" >&2; exit 1; }
[[ $answer == *'"summary":"VTE risk high on thalidomide'* ]] ||
  { log "the order-sign example did not get its card: ${answer:0:400}"; exit 1; }
mkdir -p "$(dirname "$OUT")"
install -m 0755 "$CANDIDATE" "$OUT"
log "built $OUT (profile $profile_id)"
