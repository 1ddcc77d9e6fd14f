#!/bin/bash
# The official postgres image's start, in short: on an empty PGDATA, initdb with POSTGRES_USER
# as superuser and POSTGRES_PASSWORD (or the file POSTGRES_PASSWORD_FILE names), password
# logins from the network, POSTGRES_DB created; then postgres as the postgres user.
set -euo pipefail
if [ "${1:-}" = "postgres" ]; then
  if [ "$(id -u)" = "0" ]; then
    mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
  fi
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then POSTGRES_PASSWORD="$(<"$POSTGRES_PASSWORD_FILE")"; fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required" >&2; exit 1; }
    initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
      --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" >/dev/null
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$db" != "postgres" ]; then
      psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -q \
        -c "create database \"$db\"" >/dev/null
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "PostgreSQL init process complete; ready for start up."
  fi
  exec postgres -c listen_addresses='*' "${@:2}"
fi
exec "$@"
