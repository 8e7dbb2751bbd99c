#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis for the test suite, on loopback only.
#   scripts/test-services.sh start   -> starts both, prints `export` lines for their settings
#   scripts/test-services.sh stop    -> stops both and deletes their data
#   scripts/test-services.sh restart-pg | restart-redis | stop-pg | start-pg   -> for fault tests
# Uses the machine's own binaries (apt packages postgresql and redis-server; see
# scripts/ensure-test-deps.sh). No Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
state_dir="${BROADSHEET_TEST_SERVICES_DIR:-/tmp/broadsheet-test-services}"
# Below Linux's ephemeral range (32768-60999): an outgoing connection can hold a port up there
# just when a server wants to listen on it (seen here once, as "Address already in use").
pg_port="${BROADSHEET_TEST_PG_PORT:-25432}"
redis_port="${BROADSHEET_TEST_REDIS_PORT:-26379}"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] || { echo "PostgreSQL binaries not found: apt-get install postgresql" >&2; exit 1; }
  echo "$dir"
}

# PostgreSQL refuses to run as root; run it as the postgres system user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  stop >/dev/null 2>&1 || true
  mkdir -p "$state_dir"
  chmod 755 "$state_dir"
  local bin; bin=$(pg_bin)
  local pgdata="$state_dir/pg"
  mkdir -p "$pgdata"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pgdata"; fi
  as_pg "$bin/initdb" -D "$pgdata" -U broadsheet --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Durability settings stay on (fsync): the tests check acknowledged writes survive restarts.
  start_pg

  start_redis

  echo "export BROADSHEET_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=broadsheet;Database=postgres'"
  echo "export BROADSHEET_TEST_REDIS='127.0.0.1:$redis_port'"
}

start_redis() {
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    --daemonize yes --pidfile "$state_dir/redis.pid" --logfile "$state_dir/redis.log" --dir "$state_dir"
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null
}

# The server's settings, the same at every start.
pg_options() {
  echo "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$state_dir/pg -c max_connections=300"
}

start_pg() {
  local bin; bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$state_dir/pg" -l "$state_dir/pg/postgres.log" -w -t 60 -o "$(pg_options)" start >/dev/null
}

# For fault tests: PostgreSQL down for a while (open connections are cut), then back; or a
# restart as an operator would do it.
stop_pg() {
  local bin; bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$state_dir/pg" -m fast -w -t 60 stop >/dev/null
}

restart_pg() {
  stop_pg
  start_pg
}

restart_redis() {
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 || break
    sleep 0.1
  done
  start_redis
}

stop() {
  local bin; bin=$(pg_bin)
  if [ -d "$state_dir/pg" ]; then
    as_pg "$bin/pg_ctl" -D "$state_dir/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -f "$state_dir/redis.pid" ]; then
    kill "$(cat "$state_dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$state_dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart-pg) restart_pg ;;
  restart-redis) restart_redis ;;
  stop-pg) stop_pg ;;
  start-pg) start_pg ;;
  *) echo "usage: $0 start|stop|restart-pg|restart-redis|stop-pg|start-pg" >&2; exit 2 ;;
esac
