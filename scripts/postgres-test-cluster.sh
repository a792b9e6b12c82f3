#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on loopback only.
#
#   scripts/postgres-test-cluster.sh start DIR   initdb into DIR (owned by an unprivileged user), start it on a free
#                                                127.0.0.1 port with its unix socket in DIR, create database
#                                                'logbook_test'; prints the URL (postgresql://USER@127.0.0.1:PORT/logbook_test)
#   scripts/postgres-test-cluster.sh stop DIR    stop it (fast shutdown) and remove DIR
#   scripts/postgres-test-cluster.sh restart DIR restart it (fast shutdown, same port): the fault tests use it
#   scripts/postgres-test-cluster.sh run CMD…    start one in a fresh temporary folder, run CMD with
#                                                LOGBOOK_TEST_POSTGRES_URL (and LOGBOOK_TEST_POSTGRES_CLUSTER, its
#                                                folder) set, stop and remove it on exit (also when CMD fails or the
#                                                run is interrupted); exits with CMD's status
#
# As root it installs Debian's `postgresql` when no initdb is found, and runs the server as the `postgres` user
# (initdb refuses root). Trust authentication on loopback only: the cluster lives as long as one test run.
set -euo pipefail

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

install_postgresql() {
  if [[ $(id -u) != 0 ]]; then
    echo "PostgreSQL (initdb, pg_ctl) is missing; run: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "installing postgresql" >&2
  apt-get update -qq </dev/null >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start() {
  local dir=$1
  local bin
  bin=$(find_bin) || { install_postgresql; bin=$(find_bin) || { echo "initdb not found after installing postgresql" >&2; exit 1; }; }
  mkdir -p "$dir"
  if [[ $(id -u) == 0 ]]; then
    getent passwd postgres >/dev/null || useradd --system --no-create-home postgres
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  local user
  if [[ $(id -u) == 0 ]]; then user=postgres; else user=$(id -un); fi
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U "$user" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$dir/data" -A trust -U "$user" -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" logbook_test
      echo "postgresql://$user@127.0.0.1:$port/logbook_test"
      return 0
    fi
  done
  echo "cannot start the test PostgreSQL cluster; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
}

stop() {
  local dir=$1
  local bin
  # Also when the run was interrupted while the server was still starting (no postmaster.pid yet): wait for it.
  if [[ -d $dir/data ]] && bin=$(find_bin); then
    local attempt
    for attempt in 1 2 3 4 5; do
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 && break
      [[ -f $dir/data/postmaster.pid ]] || sleep 0.5
      [[ -f $dir/data/postmaster.pid ]] || break
    done
  fi
  rm -rf "$dir"
}

restart() {
  local dir=$1
  local bin
  bin=$(find_bin)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 30 restart >/dev/null
}

run() {
  local url status
  cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/logbook-postgres.XXXXXX")
  trap 'stop "$cluster_dir"' EXIT
  trap 'exit 130' INT TERM
  url=$(start "$cluster_dir")
  echo "test PostgreSQL cluster: $url (in $cluster_dir)" >&2
  set +e
  LOGBOOK_TEST_POSTGRES_URL=$url LOGBOOK_TEST_POSTGRES_CLUSTER=$cluster_dir "$@" </dev/null
  status=$?
  set -e
  exit "$status"
}

case "${1:-}" in
  run) shift; [[ $# -gt 0 ]] || { echo "usage: $0 run CMD..." >&2; exit 2; }; run "$@" ;;
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  restart) restart "${2:?usage: $0 restart DIR}" ;;
  *) echo "usage: $0 start|stop DIR | run CMD..." >&2; exit 2 ;;
esac
