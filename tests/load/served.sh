# Copyright 2026 The Thrombo Authors.
# shellcheck shell=bash
# Sourced by run.sh, profile.sh and scripts/build_release.sh: one definition of "the server is
# ready" and of "hook calls the server has answered".
#
#   server_ready PORT PID SECONDS   # waits for /readyz; false if PID exits or SECONDS pass
#   hook_calls_served PORT          # prints the count from the server's own /metrics counter

server_ready() {
  local deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1
}

hook_calls_served() {
  curl -fsS "http://127.0.0.1:$1/metrics" |
    awk '/^http_requests_total\{/ && /cds-services/ { s += $NF } END { printf "%d", s }'
}

# The buckets of one latency histogram series from the server's /metrics, "le count" a line:
#   latency_buckets PORT FAMILY SERIES_LABELS   e.g. ... http_request_duration_seconds \
#     'route="/cds-services/{id}",method="POST"'
latency_buckets() {
  curl -fsS "http://127.0.0.1:$1/metrics" |
    awk -v prefix="$2_bucket{$3,le=\"" 'index($0, prefix) == 1 {
      le = substr($0, length(prefix) + 1); sub(/".*/, "", le); print le, $NF }'
}

# The server's own p99 over a phase, from two latency_buckets snapshots (files): the upper bound
# in ms of the first bucket holding 99% of the calls made between them ("inf" past the last).
# A histogram bounds the p99 from above; the phase's calls include a load tool's warm-up.
server_p99_ms() {  # BEFORE AFTER
  awk 'FILENAME == ARGV[1] { before[$1] = $2; next }
       { le[++n] = $1; d[n] = $2 - before[$1] }
       END {
         total = d[n]
         if (total <= 0) { print "-"; exit }
         for (i = 1; i <= n; i++) if (d[i] >= 0.99 * total) {
           print (le[i] == "+Inf" ? "inf" : le[i] * 1000); exit
         }
       }' "$1" "$2"
}
