# Copyright 2026 The Thrombo Authors.
# shellcheck shell=bash
# Sourced by run.sh and profile.sh: one definition of "hook calls the server has answered".
#
#   hook_calls_served PORT   # prints the count from the server's own /metrics counter

hook_calls_served() {
  curl -fsS "http://127.0.0.1:$1/metrics" |
    awk '/^http_requests_total\{/ && /cds-services/ { s += $NF } END { printf "%d", s }'
}
