# A throwaway PostgreSQL on 127.0.0.1 for the benchmarks, sourced by run.sh and seed-rate.sh.
# The machine's own server binaries (apt package `postgresql`), a fresh `initdb` in a temp folder,
# its own port (never the test suite's 25432), stopped and deleted by bench_pg_stop, which the
# caller's EXIT trap runs. As root, the server runs as the `postgres` system user (runuser), as
# scripts/test-services.sh does: PostgreSQL refuses to run as root.
#
#   bench_pg_start        sets bench_pg_dir, bench_pg_port, bench_pg_bin, bench_pg_server (connection
#                         string without a database) and bench_pg_version
#   bench_pg_createdb N   creates database N; prints its connection string
#   bench_pg_psql N ARGS  psql on database N (tuples only, unaligned, stop on error)
#   bench_pg_stop         stops the server and deletes its folder (safe to call twice)

bench_pg_dir="" bench_pg_port="" bench_pg_bin="" bench_pg_server="" bench_pg_version=""

bench_pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_pg_start() {
  bench_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bench_pg_bin" ] || [ ! -x "$bench_pg_bin/initdb" ]; then
    echo "PostgreSQL's server binaries are missing: sudo apt-get install postgresql" >&2
    return 1
  fi
  command -v psql >/dev/null || { echo "psql is missing: sudo apt-get install postgresql-client" >&2; return 1; }
  # A port below Linux's ephemeral range (32768-60999, where an outgoing connection may hold one)
  # and away from the test suite's 25432: the first free one from 25450.
  bench_pg_port=$(python3 - <<'PY'
import socket
for port in range(25450, 25500):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
)
  [ -n "$bench_pg_port" ] || { echo "No free port for PostgreSQL in 25450-25499." >&2; return 1; }
  bench_pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-bench-pg.XXXXXX")
  chmod 755 "$bench_pg_dir"
  mkdir -p "$bench_pg_dir/data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$bench_pg_dir/data"; fi
  bench_pg_as_postgres "$bench_pg_bin/initdb" -D "$bench_pg_dir/data" -U broadsheet --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$bench_pg_dir/initdb.log" 2>&1 || { cat "$bench_pg_dir/initdb.log" >&2; return 1; }
  # Durable commits (fsync, synchronous_commit on: PostgreSQL's defaults), as SQLite runs with
  # synchronous=FULL: the comment POST figures compare like with like. Room for both app servers' pools.
  bench_pg_as_postgres "$bench_pg_bin/pg_ctl" -D "$bench_pg_dir/data" -l "$bench_pg_dir/data/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$bench_pg_port -c unix_socket_directories=$bench_pg_dir/data -c max_connections=300" \
    start >/dev/null || { tail -20 "$bench_pg_dir/data/postgres.log" >&2; return 1; }
  bench_pg_server="Host=127.0.0.1;Port=$bench_pg_port;Username=broadsheet"
  bench_pg_version=$("$bench_pg_bin/postgres" --version | sed 's/^postgres (PostgreSQL) //')
}

bench_pg_createdb() {
  psql -h 127.0.0.1 -p "$bench_pg_port" -U broadsheet -d postgres -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" >/dev/null || return 1
  echo "$bench_pg_server;Database=$1"
}

bench_pg_psql() {
  local database=$1
  shift
  psql -h 127.0.0.1 -p "$bench_pg_port" -U broadsheet -d "$database" -qAt -v ON_ERROR_STOP=1 "$@"
}

bench_pg_stop() {
  [ -n "$bench_pg_dir" ] || return 0
  if [ -f "$bench_pg_dir/data/postmaster.pid" ]; then
    bench_pg_as_postgres "$bench_pg_bin/pg_ctl" -D "$bench_pg_dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || bench_pg_as_postgres "$bench_pg_bin/pg_ctl" -D "$bench_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$bench_pg_dir"
  bench_pg_dir=""
}
