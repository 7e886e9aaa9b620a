#!/usr/bin/env bash
# README quick-start command 1: installs what is missing, builds, and starts the service on its
# embedded defaults (HTTP 8080, gRPC 50051, the built-in policy, ./thrombo.sqlite).
#
# This is the local demo: authentication is off (--allow_unauthenticated, logged as a warning)
# and the service listens on 127.0.0.1 only. Production runs pass --jwt_issuers_file and
# --base_url instead (docs/operations.md). Extra arguments are passed to `thrombo serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
bazel build -c opt //service:thrombo

cat <<'MSG'

Starting thrombo. In another terminal:
  curl -s localhost:8080/cds-services | head -c 400; echo
  curl -s -X POST -H 'Content-Type: application/json' \
       --data @examples/order-sign-thalidomide.json localhost:8080/cds-services/thrombo-order-sign
MSG
exec bazel-bin/service/thrombo serve --allow_unauthenticated "$@"
