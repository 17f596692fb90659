#!/bin/sh
# Entry point of the local PostgreSQL stand-in (scripts/base-images.sh; Debian's postgresql-15),
# used only where the public postgres image cannot be pulled. It honours the part of the public
# image's contract that docker-compose.yml and Testcontainers rely on, and no more:
#  - POSTGRES_USER (default postgres), POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, POSTGRES_DB;
#  - on an empty PGDATA: initdb, then *.sql and *.sh from /docker-entrypoint-initdb.d on a
#    temporary server listening on the socket only, then the real server (so "ready to accept
#    connections" is logged twice, which Testcontainers waits for);
#  - password (scram-sha-256) authentication from the network; arguments as `postgres -c k=v`.
# Runs as the postgres user (the image's USER); PGDATA must be writable by it.
set -eu
if [ "${1:-postgres}" != postgres ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi
[ "${1:-}" = postgres ] && shift

user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  password="$(cat "$POSTGRES_PASSWORD_FILE")"
else
  password="${POSTGRES_PASSWORD:-}"
fi
[ -n "$password" ] || { echo "stand-in postgres: POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE must be set" >&2; exit 1; }

# The socket directory: /var/run/postgresql where it exists (compose mounts a tmpfs there, and
# pg_isready looks there), else /tmp (an image imported from a tarball has an empty /run).
sockets=/var/run/postgresql
[ -d "$sockets" ] && [ -w "$sockets" ] || sockets=/tmp
export PGHOST="$sockets"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"
  printf '%s\n' "$password" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432 -c unix_socket_directories=$sockets" -w start
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres -c "CREATE DATABASE \"$db\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "stand-in postgres: running $f"; psql -v ON_ERROR_STOP=1 --username="$user" --dbname="$db" -f "$f" ;;
      *.sh) echo "stand-in postgres: running $f"; . "$f" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "stand-in postgres: init process complete"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories="$sockets" "$@"
