#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 12): initdb in a temporary folder, the
# server on a free loopback port, stopped by its PID.
#
#   scripts/pg_cluster.sh start [DIR]   initdb (first time) and start; prints the libpq conninfo
#   scripts/pg_cluster.sh stop [DIR]    stop the server (SIGINT = fast shutdown) and remove DIR
#   scripts/pg_cluster.sh down [DIR]    stop the server, keep DIR (a test restarting its database)
#   scripts/pg_cluster.sh up [DIR]      start a stopped cluster again on the same port
#
# DIR defaults to $TEST_TMPDIR/pg, else .cache/pg in the checkout (gitignored). A server started
# from inside a Bazel test lives only as long as the test (Bazel's process wrapper reaps every
# descendant), so a test that stops and starts a server makes its own (tests/e2e:pg_restart). The server runs as
# the `postgres` system user when this script runs as root (CI does; postgres refuses to run as
# root), as the caller otherwise. Loopback only, trust authentication, fsync off: a test fixture,
# never a deployment (docs/replicas.md says how to run the real one).
set -euo pipefail

cmd=${1:-}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-${TEST_TMPDIR:-$root/.cache}/pg}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
  echo "pg_cluster: PostgreSQL server binaries not found (scripts/setup.sh installs them)" >&2
  exit 1
fi

# Runs "$@" as the server's user.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    # From /: the caller's folder (a test's runfiles under /root) may be closed to postgres.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_pid() {
  [[ -f $dir/data/postmaster.pid ]] && head -1 "$dir/data/postmaster.pid"
}

start_server() {
  local port
  port=$(cat "$dir/port")
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  server_pid >"$dir/pid"
}

stop_server() {
  local pid
  pid=$(cat "$dir/pid" 2>/dev/null || true)
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -INT "$pid"  # fast shutdown: running transactions roll back, connections close
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "pg_cluster: server $pid did not stop in 30 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

case $cmd in
  start)
    if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      cat "$dir/conninfo"
      exit 0
    fi
    mkdir -p "$dir/sock"
    if [[ $(id -u) -eq 0 ]]; then
      chown -R postgres: "$dir"
      # The server user must reach DIR through its parents (e.g. a checkout under /root).
      p=$dir
      while [[ $p != / ]]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_server_user "$bindir/initdb" -D "$dir/data" --auth=trust --username=postgres \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
      # fsync off: the tests kill `thrombo serve`, not the host, and restart the server cleanly.
      cat >>"$dir/data/postgresql.conf" <<'EOF'
fsync = off
full_page_writes = off
max_connections = 300
EOF
      free_port >"$dir/port"
    fi
    start_server
    echo "host=127.0.0.1 port=$(cat "$dir/port") user=postgres dbname=postgres" |
      tee "$dir/conninfo"
    ;;
  up)
    start_server
    ;;
  down)
    stop_server
    rm -f "$dir/pid"
    ;;
  stop)
    stop_server
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|down|up [DIR]" >&2
    exit 2
    ;;
esac
