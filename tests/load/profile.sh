#!/usr/bin/env bash
# Copyright 2026 The Thrombo Authors.
# Profiles the HTTP request path: `thrombo serve` (-c opt) under callgrind, collection switched on
# only while PROFILE_REQUESTS order-sign calls are served (after PROFILE_WARMUP calls that build
# the per-process tables: projection, field tables, descriptors), then the top functions by exclusive
# and inclusive instructions. perf is not usable in this VM (no hardware counters).
#
#   tests/load/profile.sh            # 100 requests; output also in /tmp/thrombo-load-profile.txt,
#                                    # the profile itself in /tmp/thrombo-load-profile.callgrind
#   PROFILE_KEEPALIVE=1 tests/load/profile.sh
#                                    # wrk -t1 -c8 on keep-alive connections instead of a curl a
#                                    # request, profiled for PROFILE_SECONDS (15) after 10 s of warm-up;
#                                    # the requests are counted from /metrics. PROFILE_BODY picks
#                                    # one body (default: the whole mix in turn).
#   THROMBO=out/release/thrombo tests/load/profile.sh
#                                    # profiles that binary instead of the -c opt build
set -euo pipefail

cd "$(dirname "$0")/../.."
# shellcheck source=tests/load/served.sh
source tests/load/served.sh
PROFILE_REQUESTS=${PROFILE_REQUESTS:-100}
PROFILE_WARMUP=${PROFILE_WARMUP:-10}
PROFILE_KEEPALIVE=${PROFILE_KEEPALIVE:-}
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
PROFILE_BODY=${PROFILE_BODY:-}
HTTP_PORT=${HTTP_PORT:-18490}
DB_DIR=${DB_DIR:-}  # e.g. /dev/shm to take the audit fsync out of the picture

WORK=$(mktemp -d /tmp/thrombo-profile.XXXXXX)
SERVER_PID=""
WRK_PID=""
cleanup() {
  local rc=$?
  [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v valgrind >/dev/null || { echo "profile: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
# The -c opt thrombo only when no other binary is given, as tests/load/run.sh does.
TARGETS=(//tests/load:make_requests)
[[ -n ${THROMBO:-} ]] || TARGETS+=(//service:thrombo)
bazel build -c opt --symlink_prefix="$WORK/opt-" "${TARGETS[@]}" \
  2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
BIN=$(readlink -f "$WORK/opt-bin")
mkdir -p "$WORK/req"
"$BIN/tests/load/make_requests" --n=100 --seed=7 --out="$WORK/req"
ls "$WORK"/req/*.json >"$WORK/manifest"

THROMBO=${THROMBO:-$BIN/service/thrombo}
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/callgrind.out" \
  "$THROMBO" serve --allow_unauthenticated --listen=127.0.0.1 \
  --http_port="$HTTP_PORT" --grpc_port=0 --threads=1 --db="${DB_DIR:-$WORK}/profile.sqlite" \
  2>"$WORK/serve.log" &
SERVER_PID=$!
# Under valgrind the server takes seconds to start.
server_ready "$HTTP_PORT" "$SERVER_PID" 120 ||
  { echo "profile: thrombo under callgrind not ready" >&2; tail -20 "$WORK/serve.log" >&2; exit 1; }
send() {  # the i-th body of the load mix
  local body
  body=$(sed -n "$(( ($1 - 1) % 100 + 1 ))p" "$WORK/manifest")
  curl -fsS -o /dev/null --max-time 60 -H 'Content-Type: application/json' \
    --data-binary "@$body" "http://127.0.0.1:$HTTP_PORT/cds-services/thrombo-order-sign"
}
if [[ -n $PROFILE_KEEPALIVE ]]; then
  command -v wrk >/dev/null || { echo "profile: needs wrk (apt-get install wrk)" >&2; exit 1; }
  [[ -n $PROFILE_BODY ]] && echo "$PROFILE_BODY" >"$WORK/manifest"
  LOAD_MANIFEST="$WORK/manifest" wrk -t1 -c8 -d"$((PROFILE_SECONDS + 20))s" \
    -s tests/load/post.lua "http://127.0.0.1:$HTTP_PORT/cds-services/thrombo-order-sign" \
    >"$WORK/wrk.log" 2>&1 &
  WRK_PID=$!
  sleep 10
  before=$(hook_calls_served "$HTTP_PORT")
  callgrind_control -i on "$SERVER_PID" >/dev/null
  sleep "$PROFILE_SECONDS"
  callgrind_control -i off "$SERVER_PID" >/dev/null
  PROFILE_REQUESTS=$(( $(hook_calls_served "$HTTP_PORT") - before ))
  wait "$WRK_PID" || true
  WRK_PID=""
else
  for i in $(seq 1 "$PROFILE_WARMUP"); do send "$i"; done
  callgrind_control -i on "$SERVER_PID" >/dev/null
  # Sequential calls cycling through the bodies (the client's own cost is not profiled).
  for i in $(seq 1 "$PROFILE_REQUESTS"); do send "$i"; done
  callgrind_control -i off "$SERVER_PID" >/dev/null
fi
kill "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=""
rm -f "${DB_DIR:-$WORK}"/profile.sqlite*
TOTAL=$(callgrind_annotate "$WORK/callgrind.out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
{
  echo "== $PROFILE_REQUESTS requests: $((TOTAL / PROFILE_REQUESTS)) instructions per request, server threads included =="
  echo "== exclusive (self) =="
  callgrind_annotate "$WORK/callgrind.out" 2>/dev/null | sed -n '1,60p'
  echo "== inclusive =="
  callgrind_annotate --inclusive=yes "$WORK/callgrind.out" 2>/dev/null | sed -n '1,140p'
} | tee /tmp/thrombo-load-profile.txt
cp "$WORK/callgrind.out" /tmp/thrombo-load-profile.callgrind  # for callgrind_annotate --tree=caller
