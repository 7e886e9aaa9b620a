#!/usr/bin/env bash
# Installs every Debian package this project needs to build, run and test, and nothing else.
# Idempotent: packages already present are skipped, so a second run costs one dpkg query.
# This is the project's only install step; the README, .ci/run and the tests all rely on it.
set -euo pipefail

packages=(
  # Build: Bazel 4.2.3 and its offline mock repositories (docs/bazel-offline.md).
  bazel-bootstrap bazel-bootstrap-source g++ pkg-config
  # Protocol buffers and gRPC.
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev libgrpc-dev
  # Abseil, GoogleTest/GoogleMock, Google Benchmark.
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  # JSON (RapidJSON: SAX reader that hands numbers over as their exact text).
  rapidjson-dev
  # JSON at tokenizer speed for the hook path's projection reader and the population scan.
  libsimdjson-dev
  # HTTP (Boost.Beast), TLS/JWT crypto, FHIR fetch-on-miss, feedback storage.
  libboost1.81-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev
  # PostgreSQL for fleets of replicas: libpq to build, the server and client for the tests
  # (scripts/test.sh starts a throwaway cluster as the postgres user).
  libpq-dev postgresql postgresql-client
  # The service binary's allocator (jemalloc): a hook call makes thousands of small objects.
  libjemalloc-dev
  # Used by the tests and the load benchmark.
  curl ca-certificates
  # Fuzzing (tests/fuzz, --config=fuzz): clang 14 and its compiler-rt (libFuzzer, ASan, UBSan).
  clang-14 libclang-rt-14-dev
  # Load benchmark (tests/load/run.sh): wrk, h2load, nginx as the transport ceiling.
  wrk nghttp2-client nginx-light
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present" >&2
fi
