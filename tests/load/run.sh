#!/usr/bin/env bash
# Copyright 2026 The Thrombo Authors.
# The load benchmark, one command: builds -c opt, starts `thrombo serve` and an nginx transport
# ceiling on loopback, measures HTTP throughput, fixed-rate latency, RSS over a long run and gRPC,
# prints a summary table, and cleans up after itself. Manual only (not part of CI).
#
#   tests/load/run.sh                 # everything (about 15-20 minutes on 2 cores)
#   QUICK=1 tests/load/run.sh         # short durations and a 20,000-request long run (smoke test)
#
# It measures the release binary, scripts/build_release.sh's (about 10 minutes more); RELEASE=0
# measures the plain -c opt build instead.
#
# Knobs (environment): N_REQUESTS SEED SAT_SECONDS SAT_PAIRS RATE_SECONDS RATES LONG_REQUESTS
# LONG_MAX_SECONDS HTTP_PORT GRPC_PORT NGINX_PORT SERVER_THREADS WRK_CONNECTIONS SKIP_GRPC KEEP DB
# RELEASE.
set -euo pipefail

cd "$(dirname "$0")/../.."
# shellcheck source=tests/load/served.sh
source tests/load/served.sh

QUICK=${QUICK:-0}
N_REQUESTS=${N_REQUESTS:-1000}
SEED=${SEED:-7}
SAT_SECONDS=${SAT_SECONDS:-20}
# Saturation runs thrombo then nginx, SAT_PAIRS times: nginx's rate on this VM has varied from
# 14,000 to 24,000 req/s between runs minutes apart (docs/benchmarks.md, "fifteenth round"), so
# one pair can move the ratio by a third; the summary gives each pair's ratio and their median.
SAT_PAIRS=${SAT_PAIRS:-3}
RATE_SECONDS=${RATE_SECONDS:-15}
RATES=${RATES:-"500 1000 2000 5000"}
LONG_REQUESTS=${LONG_REQUESTS:-1000000}
LONG_MAX_SECONDS=${LONG_MAX_SECONDS:-600}
HTTP_PORT=${HTTP_PORT:-18480}
GRPC_PORT=${GRPC_PORT:-18481}
NGINX_PORT=${NGINX_PORT:-18482}
SERVER_THREADS=${SERVER_THREADS:-0}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
RATE_CLIENTS=${RATE_CLIENTS:-20}
# Closed-loop calls http_load and grpc_load send before a fixed-rate phase, and do not time.
RATE_WARMUP=500
SKIP_GRPC=${SKIP_GRPC:-0}
RELEASE=${RELEASE:-1}
if [[ $QUICK == 1 ]]; then
  N_REQUESTS=200 SAT_SECONDS=5 SAT_PAIRS=1 RATE_SECONDS=5 LONG_REQUESTS=20000 LONG_MAX_SECONDS=60
fi

WORK=$(mktemp -d /tmp/thrombo-load.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "load: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "load: $*" >&2; }

# --- Build -------------------------------------------------------------------------------------
scripts/setup.sh
TARGETS=(//tests/load:make_requests //tests/load:grpc_load //tests/load:http_load)
# The release binary is built by its own script; the plain one with the tools.
[[ $RELEASE == 1 ]] || TARGETS+=(//service:thrombo)
log "building ${TARGETS[*]} (-c opt)"
# Our own symlinks in $WORK (the shared bazel-bin stays as it is); Bazel 4.2.3 has no
# `cquery --output=files`, and `bazel info` would queue behind other users of the server.
bazel build -c opt --symlink_prefix="$WORK/opt-" "${TARGETS[@]}" 2>"$WORK/build.log" ||
  { cat "$WORK/build.log" >&2; exit 1; }
BIN=$(readlink -f "$WORK/opt-bin")
THROMBO=$BIN/service/thrombo
BUILD_KIND="-c opt"
if [[ $RELEASE == 1 ]]; then
  log "building the release binary (scripts/build_release.sh)"
  scripts/build_release.sh "$WORK/thrombo" 2>"$WORK/release.log" ||
    { cat "$WORK/release.log" >&2; exit 1; }
  THROMBO=$WORK/thrombo
  BUILD_KIND="release (scripts/build_release.sh: -c opt with PGO)"
fi
MAKE_REQUESTS=$BIN/tests/load/make_requests
GRPC_LOAD=$BIN/tests/load/grpc_load
HTTP_LOAD=$BIN/tests/load/http_load

# --- Requests ----------------------------------------------------------------------------------
mkdir -p "$WORK/req"
"$MAKE_REQUESTS" --n="$N_REQUESTS" --seed="$SEED" --out="$WORK/req" --grpc
ls "$WORK"/req/*.json >"$WORK/manifest"
export LOAD_MANIFEST=$WORK/manifest
# The median-sized body, for h2load (which posts one body).
MEDIAN_BODY=$(ls -S "$WORK"/req/*.json | sed -n "$((N_REQUESTS / 2 + 1))p")
BODY_MEAN=$(cat "$WORK"/req/*.json | wc -c)
BODY_MEAN=$((BODY_MEAN / N_REQUESTS))

# --- Servers -----------------------------------------------------------------------------------
# DB: the store, as --db takes it; default a SQLite file in the work folder. For the fleet
# configuration: DB="$(scripts/pg_cluster.sh start)" tests/load/run.sh (then pg_cluster.sh stop).
DB=${DB:-$WORK/thrombo.sqlite}
"$THROMBO" serve --allow_unauthenticated --listen=127.0.0.1 --http_port="$HTTP_PORT" \
  --grpc_port="$GRPC_PORT" --db="$DB" --threads="$SERVER_THREADS" \
  2>"$WORK/serve.log" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
URL=http://127.0.0.1:$HTTP_PORT/cds-services/thrombo-order-sign
server_ready "$HTTP_PORT" "$SERVER_PID" 10 ||
  { log "thrombo not ready"; tail -20 "$WORK/serve.log" >&2; exit 1; }

# Check every body answers 200 with JSON cards, and take the mean response size.
resp_bytes=0
checked=0
while read -r f; do
  code=$(curl -sS -o "$WORK/resp.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$f" "$URL")
  if [[ $code != 200 ]]; then
    log "$f answered $code: $(head -c 400 "$WORK/resp.json")"
    exit 1
  fi
  resp_bytes=$((resp_bytes + $(wc -c <"$WORK/resp.json")))
  checked=$((checked + 1))
done < <(head -50 "$WORK/manifest")
RESP_MEAN=$((resp_bytes / checked))
with_cards=0
while read -r f; do
  curl -sS -H 'Content-Type: application/json' --data-binary "@$f" "$URL" |
    grep -q '"summary"' && with_cards=$((with_cards + 1))
done < <(head -50 "$WORK/manifest")
log "bodies: mean $BODY_MEAN bytes; responses: mean $RESP_MEAN bytes, $with_cards/50 with cards"

# nginx answering every POST with a fixed JSON body of the same size as our mean response.
pad=$((RESP_MEAN - 24))
((pad > 0)) || pad=1
FIXED=$(printf '{"cards":[],"pad":"%*s"}' "$pad" '' | tr ' ' 'x')
# nginx limits one config token to 4 KiB: the body is set in chunks and returned as "$b0$b1...".
SETS=""
RETURN=""
i=0
while read -r chunk; do
  SETS+="set \$b$i '$chunk'; "
  RETURN+="\$b$i"
  i=$((i + 1))
done < <(fold -w 3000 <<<"$FIXED")
mkdir -p "$WORK/nginx"
{
  [[ $(id -u) == 0 ]] && echo "user root;"
  cat <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  client_max_body_size 16m;
  client_body_buffer_size 128k;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { $SETS return 200 "$RETURN"; }
  }
}
EOF
} >"$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
PIDS+=("$!")
NGINX_URL=http://127.0.0.1:$NGINX_PORT/cds-services/thrombo-order-sign
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary "@$MEDIAN_BODY" \
    "$NGINX_URL" 2>/dev/null && break
  sleep 0.1
done
NGINX_BYTES=$(curl -fsS -H 'Content-Type: application/json' --data-binary "@$MEDIAN_BODY" \
  "$NGINX_URL" | wc -c) || { log "nginx does not answer"; cat "$WORK/nginx/error.log" >&2; exit 1; }
log "nginx answers $NGINX_BYTES bytes"

# --- Measurements ------------------------------------------------------------------------------
RESULTS=$WORK/results
: >"$RESULTS"
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" | head -1; }
field_all() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }

# This VM's wall-clock figures follow the hypervisor: on 2026-12-03 the same binary's p99 at
# 1,000 req/s was 2.8 ms with no CPU steal and 10-28 ms with 10-19% (docs/benchmarks.md, "ninth
# round"). So each measurement records the steal over its own span (from /proc/stat: user nice
# system idle iowait irq softirq steal), and saturation the server's CPU time per request.
cpu_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }' /proc/stat; }
steal_pct() {  # the steal since `cpu_ticks` printed $1
  local before=($1) after
  read -r -a after <<<"$(cpu_ticks)"
  awk -v t0="${before[0]}" -v s0="${before[1]}" -v t1="${after[0]}" -v s1="${after[1]}" \
    'BEGIN { d = t1 - t0; printf "%.0f", (d > 0 ? 100 * (s1 - s0) / d : 0) }'
}
server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }  # utime + stime
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# Runs "$@", which appends one line to $RESULTS, and adds the steal over its span to that line.
measure() {
  local before
  before=$(cpu_ticks)
  "$@"
  local steal
  steal=$(steal_pct "$before")
  sed -i "\$ s/\$/ steal_pct=$steal/" "$RESULTS"
}

# (a) Saturation: wrk, 2 threads, WRK_CONNECTIONS connections, cycling through every body.
saturate() {  # name url
  log "saturation: $1, wrk -t2 -c$WRK_CONNECTIONS -d${SAT_SECONDS}s"
  timeout $((SAT_SECONDS + 30)) wrk -t2 -c"$WRK_CONNECTIONS" -d"${SAT_SECONDS}s" --timeout 10s \
    -s tests/load/post.lua "$2" >"$WORK/wrk-$1.txt" 2>&1 || true
  local line
  line=$(grep '^WRK ' "$WORK/wrk-$1.txt" || true)
  [[ -n $line ]] || { cat "$WORK/wrk-$1.txt" >&2; exit 1; }
  echo "sat $1 $line" >>"$RESULTS"
}
# with_server_cpu UNCOUNTED COMMAND...: runs a thrombo phase that appends one line with
# requests= to $RESULTS, and adds the server's user + system time (all its threads) per call to
# that line. UNCOUNTED: calls the phase made but does not count in requests= (a load tool's
# warm-up), added to the divisor.
with_server_cpu() {
  local uncounted=$1 cpu0 requests cpu_us=-
  shift
  cpu0=$(server_cpu_ticks)
  "$@"
  requests=$(tail -1 "$RESULTS" | field requests)
  if ((${requests:-0} > 0)); then
    cpu_us=$(( ($(server_cpu_ticks) - cpu0) * TICK_US / (requests + uncounted) ))
  fi
  sed -i "\$ s/\$/ server_cpu_us=$cpu_us/" "$RESULTS"
}
# The same for thrombo, with the server's CPU time per request.
saturate_thrombo() { with_server_cpu 0 saturate thrombo "$1"; }  # url
# (b) Fixed rates: h2load --h1, RATE_CLIENTS connections sharing the rate, the median body,
# per-request times from --log-file.
fixed_rate() {  # name url rate
  local per=$(( ($3 + RATE_CLIENTS - 1) / RATE_CLIENTS ))
  log "fixed rate: $1 at $3 req/s (h2load --h1 -c$RATE_CLIENTS --rps=$per -D$RATE_SECONDS)"
  rm -f "$WORK/h2.log"
  timeout $((RATE_SECONDS + 30)) h2load --h1 -t2 -c"$RATE_CLIENTS" --rps="$per" \
    -D "$RATE_SECONDS" --warm-up-time=2 -d "$MEDIAN_BODY" -H 'Content-Type: application/json' \
    --log-file="$WORK/h2.log" "$2" >"$WORK/h2-$1-$3.txt" 2>&1 || true
  [[ -s $WORK/h2.log ]] || { cat "$WORK/h2-$1-$3.txt" >&2; echo "rate $1 $3 failed" >>"$RESULTS"; return; }
  local n ok
  n=$(wc -l <"$WORK/h2.log")
  ok=$(awk -F'\t' '$2 == 200' "$WORK/h2.log" | wc -l)
  cut -f3 "$WORK/h2.log" | sort -n >"$WORK/h2.sorted"
  pct() { sed -n "$(awk -v n="$n" -v p="$1" 'BEGIN { i = int(n * p); if (i < 1) i = 1; print i }')p" \
    "$WORK/h2.sorted"; }
  echo "rate $1 $3 requests=$n ok=$ok achieved=$(awk -v n="$n" -v s="$RATE_SECONDS" \
    'BEGIN { printf "%.0f", n / s }') p50_us=$(pct 0.5) p99_us=$(pct 0.99) p999_us=$(pct 0.999)" \
    "max_us=$(tail -1 "$WORK/h2.sorted")" >>"$RESULTS"
}

# (c) Fixed rates again with http_load: every body of the mix, requests due at the times of a
# Poisson process (independent callers), timed from when each was due; the schedule gRPC gets
# below. h2load's connections fire together (about RATE_CLIENTS requests at once, every
# RATE_CLIENTS/rate seconds) and are timed from when they were sent: both are reported.
paced_rate() {  # name port rate
  log "paced rate: $1 at $3 req/s (http_load --poisson, $RATE_CLIENTS connections)"
  echo "paced $1 $3 $("$HTTP_LOAD" --port="$2" --dir="$WORK/req" --connections="$RATE_CLIENTS" \
    --rps="$3" --poisson --requests=$(($3 * RATE_SECONDS)) --warmup="$RATE_WARMUP" \
    --max_seconds=$((RATE_SECONDS + 5)) 2>>"$WORK/http_load.err" | tail -1)" >>"$RESULTS"
}
# A fixed-rate thrombo phase with the server's CPU time per call. Below saturation each call
# pays for waking the server, so this is what a deployment that is not saturated spends a call
# (about twice the saturation figure: docs/benchmarks.md, "seventeenth round"). The RATE_WARMUP
# closed-loop calls are in the divisor and cost less, so the figure is a few percent low: about
# 2% at 1,000 req/s in a full run, more with QUICK=1's shorter phases.
at_rate_with_cpu() { with_server_cpu "$RATE_WARMUP" "$@"; }  # phase args...
# with_server_p99 FAMILY SERIES COMMAND...: runs a thrombo phase that appends one line to
# $RESULTS, and adds the server's own p99 over it (server_p99_le_ms: the bound of the first
# bucket of its latency histogram FAMILY{SERIES} to hold 99% of the phase's timed calls). Set
# beside the client's p99, it says how much of a slow tail is the server's work and how much the
# transport's and the scheduler's (docs/benchmarks.md, "twenty-second round"). The load tool's
# RATE_WARMUP closed-loop calls queue behind each other and would be several percent of the
# calls, so the first snapshot waits until the histogram has counted them.
with_server_p99() {
  local family=$1 series=$2 warmed phase
  shift 2
  calls() { latency_buckets "$HTTP_PORT" "$family" "$series" | awk '$1 == "+Inf" { n = $2 }
    END { print n + 0 }'; }
  warmed=$(( $(calls) + RATE_WARMUP ))
  "$@" &
  phase=$!
  while kill -0 "$phase" 2>/dev/null && (( $(calls) < warmed )); do sleep 0.05; done
  latency_buckets "$HTTP_PORT" "$family" "$series" >"$WORK/buckets.before"
  wait "$phase"
  latency_buckets "$HTTP_PORT" "$family" "$series" >"$WORK/buckets.after"
  sed -i "\$ s/\$/ server_p99_le_ms=$(server_p99_ms "$WORK/buckets.before" \
    "$WORK/buckets.after")/" "$RESULTS"
}
HOOK_HTTP_SERIES='route="/cds-services/{id}",method="POST"'
HOOK_GRPC_SERIES='grpc_service="thrombo.v1.ThromboprophylaxisService",grpc_method="EvaluateHook"'

for _ in $(seq 1 "$SAT_PAIRS"); do
  measure saturate_thrombo "$URL"
  measure saturate nginx "$NGINX_URL"
done
# Each pair's ratio, in the order run, and the pair with the median ratio (its thrombo rate sizes
# the long run below).
paste -d' ' <(grep '^sat thrombo ' "$RESULTS" | sed 's/.*\brps=\([^ ]*\).*/\1/') \
  <(grep '^sat nginx ' "$RESULTS" | sed 's/.*\brps=\([^ ]*\).*/\1/') |
  awk '{ printf "%d %.1f %s %s\n", NR, 100 * $1 / $2, $1, $2 }' >"$WORK/pairs"
median_pair=$(sort -k2,2n "$WORK/pairs" | sed -n "$(( (SAT_PAIRS + 1) / 2 ))p" | cut -d' ' -f1)
for r in $RATES; do
  measure fixed_rate thrombo "$URL" "$r"
  measure fixed_rate nginx "$NGINX_URL" "$r"
  measure at_rate_with_cpu with_server_p99 http_request_duration_seconds "$HOOK_HTTP_SERIES" \
    paced_rate thrombo "$HTTP_PORT" "$r"
  measure paced_rate nginx "$NGINX_PORT" "$r"
done

# (d) Long run: RSS sampled every 5 s against the request count, at saturation.
sat_rps=$(grep '^sat thrombo' "$RESULTS" | sed -n "${median_pair}p" | field rps)
long=$(awk -v r="$sat_rps" -v s="$LONG_MAX_SECONDS" -v n="$LONG_REQUESTS" \
  'BEGIN { c = int(r * s * 0.9); print (c < n ? c : n) }')
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }
served() { hook_calls_served "$HTTP_PORT"; }
log "long run: $long requests (cap ${LONG_MAX_SECONDS}s), RSS every 5 s"
echo "rss start rss_kb=$(rss VmRSS) hwm_kb=$(rss VmHWM) served=$(served)" >>"$RESULTS"
long_ticks=$(cpu_ticks)
LOAD_PER_THREAD=$((long / 2)) timeout $((LONG_MAX_SECONDS + 60)) wrk -t2 \
  -c"$WRK_CONNECTIONS" -d"${LONG_MAX_SECONDS}s" --timeout 10s -s tests/load/post.lua "$URL" \
  >"$WORK/wrk-long.txt" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
: >"$WORK/rss.tsv"
target=$(( $(served) + long ))
while kill -0 "$WRK_PID" 2>/dev/null; do
  now_served=$(served)
  printf '%s\t%s\t%s\t%s\n' "$(date +%s)" "$now_served" "$(rss VmRSS)" "$(rss VmHWM)" \
    >>"$WORK/rss.tsv"
  # wrk's main thread sleeps for all of -d even when its threads stop; SIGINT ends it cleanly.
  ((now_served >= target)) && kill -INT "$WRK_PID" 2>/dev/null
  sleep 5
done
wait "$WRK_PID" || true
echo "long $(grep '^WRK ' "$WORK/wrk-long.txt" || echo 'WRK failed')" \
  "steal_pct=$(steal_pct "$long_ticks")" >>"$RESULTS"
echo "rss end rss_kb=$(rss VmRSS) hwm_kb=$(rss VmHWM) served=$(served)" >>"$RESULTS"
log "RSS samples (time, hook calls served, VmRSS kB, VmHWM kB):"
awk 'NR == 1 || NR % 12 == 0 { print "  " $0 } END { if (NR % 12 != 1) print "  " $0 }' "$WORK/rss.tsv" >&2
# RSS after warm-up: the sample nearest 10% of the run, against the last sample.
n_samples=$(wc -l <"$WORK/rss.tsv")
warm=$(sed -n "$(( n_samples / 10 + 1 ))p" "$WORK/rss.tsv" | cut -f3)
last=$(tail -1 "$WORK/rss.tsv" | cut -f3)
echo "rss warm rss_kb=$warm final_kb=$last" >>"$RESULTS"

# (e) gRPC EvaluateHook: closed loop, then the same fixed rates (open loop, Poisson, timed from
# when each request was due).
if [[ $SKIP_GRPC != 1 ]]; then
  grpc_saturate() {
    log "gRPC: closed loop, 8 connections, ${SAT_SECONDS}s"
    echo "grpc sat $("$GRPC_LOAD" --target="127.0.0.1:$GRPC_PORT" --dir="$WORK/req" \
      --connections=8 --requests=10000000 --max_seconds="$SAT_SECONDS" 2>>"$WORK/grpc.err" |
      tail -1)" >>"$RESULTS"
  }
  grpc_rate() {  # rate
    log "gRPC: $1 req/s for ${RATE_SECONDS}s"
    echo "grpc rate $1 $("$GRPC_LOAD" --target="127.0.0.1:$GRPC_PORT" --dir="$WORK/req" \
      --connections="$RATE_CLIENTS" --rps="$1" --poisson --requests=$(($1 * RATE_SECONDS)) \
      --warmup="$RATE_WARMUP" --max_seconds=$((RATE_SECONDS + 5)) 2>>"$WORK/grpc.err" |
      tail -1)" >>"$RESULTS"
  }
  measure grpc_saturate
  for r in $RATES; do
    measure at_rate_with_cpu with_server_p99 grpc_server_handling_seconds "$HOOK_GRPC_SERIES" \
      grpc_rate "$r"
  done
fi

# --- Summary -----------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { if (u == "") print "-"; else printf "%.2f", u / 1000 }'; }
row() { printf '%-34s %10s %9s %9s %9s %9s %8s\n' "$@"; }
at_rates() {  # PREFIX FIELD UNIT: FIELD of each rate's line, e.g. "paced thrombo" server_cpu_us us
  for r in $RATES; do
    echo "$r: $(grep "^$1 $r " "$RESULTS" | field "$2") $3"
  done | paste -sd';' | sed 's/;/; /g'
}
{
  echo
  echo "== Load summary ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $N_REQUESTS bodies," \
    "mean $BODY_MEAN B; response mean $RESP_MEAN B) =="
  echo "load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "thrombo build: $BUILD_KIND"
  row "measurement" "req/s" "p50 ms" "p99 ms" "p99.9 ms" "errors" "steal %"
  for i in $(seq 1 "$SAT_PAIRS"); do
    for who in thrombo nginx; do
      l=$(grep "^sat $who " "$RESULTS" | sed -n "${i}p")
      row "HTTP saturation $who (wrk) #$i" "$(field rps <<<"$l")" \
        "$(field p50_ms <<<"$l")" "$(field p99_ms <<<"$l")" "$(field p999_ms <<<"$l")" \
        "$(( $(field non2xx <<<"$l") + $(field socket_errors <<<"$l") ))" \
        "$(field steal_pct <<<"$l")"
    done
  done
  echo "thrombo / nginx throughput: $(sed -n "${median_pair}p" "$WORK/pairs" | cut -d' ' -f2)%" \
    "median of $SAT_PAIRS pairs ($(cut -d' ' -f2 "$WORK/pairs" | sed 's/$/%/' | paste -sd' ')," \
    "in the order run)  (goal >= 40%)"
  echo "thrombo CPU per request at saturation (user + system, all threads):" \
    "$(grep '^sat thrombo ' "$RESULTS" | field_all server_cpu_us | paste -sd' ') us"
  for r in $RATES; do
    for who in thrombo nginx; do
      l=$(grep "^rate $who $r " "$RESULTS" || true)
      row "HTTP $who @ $r req/s (h2load)" \
        "$(field achieved <<<"$l")" "$(ms "$(field p50_us <<<"$l")")" \
        "$(ms "$(field p99_us <<<"$l")")" "$(ms "$(field p999_us <<<"$l")")" \
        "$(( $(field requests <<<"$l") - $(field ok <<<"$l") ))" \
        "$(field steal_pct <<<"$l")"
    done
  done
  for r in $RATES; do
    for who in thrombo nginx; do
      l=$(grep "^paced $who $r " "$RESULTS" || true)
      row "HTTP $who @ $r req/s (Poisson)" \
        "$(field rps <<<"$l")" "$(field p50_ms <<<"$l")" "$(field p99_ms <<<"$l")" \
        "$(field p999_ms <<<"$l")" "$(field errors <<<"$l")" \
        "$(field steal_pct <<<"$l")"
    done
  done
  echo "thrombo CPU per HTTP call at those rates, Poisson (user + system, all threads):" \
    "$(at_rates "paced thrombo" server_cpu_us us)"
  echo "thrombo's own p99 at those rates, Poisson (bound from its histogram, first byte to last):" \
    "$(at_rates "paced thrombo" server_p99_le_ms "ms or less")"
  l=$(grep '^long ' "$RESULTS")
  row "HTTP long run ($(field requests <<<"$l") req)" \
    "$(field rps <<<"$l")" "$(field p50_ms <<<"$l")" "$(field p99_ms <<<"$l")" \
    "$(field p999_ms <<<"$l")" "$(( $(field non2xx <<<"$l") + $(field socket_errors <<<"$l") ))" \
    "$(field steal_pct <<<"$l")"
  if [[ $SKIP_GRPC != 1 ]]; then
    l=$(grep '^grpc sat ' "$RESULTS")
    row "gRPC saturation (8 conns)" "$(field rps <<<"$l")" \
      "$(field p50_ms <<<"$l")" "$(field p99_ms <<<"$l")" "$(field p999_ms <<<"$l")" \
      "$(field errors <<<"$l")" \
      "$(field steal_pct <<<"$l")"
    for r in $RATES; do
      l=$(grep "^grpc rate $r " "$RESULTS")
      row "gRPC @ $r req/s (Poisson)" "$(field rps <<<"$l")" \
        "$(field p50_ms <<<"$l")" "$(field p99_ms <<<"$l")" "$(field p999_ms <<<"$l")" \
        "$(field errors <<<"$l")" \
        "$(field steal_pct <<<"$l")"
    done
    echo "thrombo CPU per gRPC call at those rates (user + system, all threads):" \
      "$(at_rates "grpc rate" server_cpu_us us)"
    echo "thrombo's own p99 per gRPC call at those rates (bound from its histogram):" \
      "$(at_rates "grpc rate" server_p99_le_ms "ms or less")"
  fi
  s=$(grep '^rss start' "$RESULTS"); e=$(grep '^rss end' "$RESULTS"); w=$(grep '^rss warm' "$RESULTS")
  echo "RSS: before long run $(field rss_kb <<<"$s") kB; after warm-up (10% of the run)" \
    "$(field rss_kb <<<"$w") kB; after $(field served <<<"$e") hook calls $(field rss_kb <<<"$e")" \
    "kB; peak (VmHWM) $(field hwm_kb <<<"$e") kB"
} | tee "$WORK/summary.txt"
cp "$WORK/summary.txt" "${SUMMARY_OUT:-/tmp/thrombo-load-summary.txt}"
cp "$WORK/rss.tsv" "${RSS_OUT:-/tmp/thrombo-load-rss.tsv}"
cp "$RESULTS" "${RESULTS_OUT:-/tmp/thrombo-load-results.txt}"
