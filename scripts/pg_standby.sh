#!/usr/bin/env bash
# A hot standby of the local PostgreSQL (127.0.0.1:5432) for the replica tests and benchmarks.
#
#   scripts/pg_standby.sh up      # pg_basebackup -R into $STANDBY_DIR, start it on $STANDBY_PORT
#   scripts/pg_standby.sh down    # stop it and delete its data directory
#   scripts/pg_standby.sh status  # is it up, in recovery, and how far behind
#
# The primary is only touched where replication needs it: if pg_hba.conf has no replication
# line for 127.0.0.1 one is added and the configuration reloaded (never restarted). wal_level
# and max_wal_senders need a restart to change, so if they are wrong this stops and says so.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
STANDBY_PORT=${STANDBY_PORT:-5433}
STANDBY_DIR=${STANDBY_DIR:-/var/lib/postgresql/standby-$STANDBY_PORT}
PG_USER=${PG_USER:-postgres}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

psql_primary() { psql -X -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PG_USER" -d postgres -c "$1"; }
psql_standby() { psql -X -At -h 127.0.0.1 -p "$STANDBY_PORT" -U "$PG_USER" -d postgres -c "$1"; }
# The server refuses to run as root: run its tools as the postgres system user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

check_primary() {
  local level senders hba
  level=$(psql_primary "SHOW wal_level")
  senders=$(psql_primary "SHOW max_wal_senders")
  if [ "$level" = minimal ] || [ "$senders" -lt 2 ]; then
    echo "error: the primary has wal_level=$level, max_wal_senders=$senders; streaming" >&2
    echo "replication needs wal_level=replica and max_wal_senders>=2 (a restart)." >&2
    exit 1
  fi
  hba=$(psql_primary "SHOW hba_file")
  if ! psql_primary "SELECT 1 FROM pg_hba_file_rules WHERE 'replication' = ANY(database)
        AND type = 'host' AND address = '127.0.0.1'" | grep -q 1; then
    echo "adding a replication line for 127.0.0.1 to $hba and reloading the primary"
    printf '\n# streaming replication to a local hot standby (scripts/pg_standby.sh)\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
    psql_primary "SELECT pg_reload_conf()" >/dev/null
    sleep 1
  fi
}

up() {
  if pg_isready -q -h 127.0.0.1 -p "$STANDBY_PORT"; then
    [ "$(psql_standby 'SELECT pg_is_in_recovery()')" = t ] && { echo "standby already up on $STANDBY_PORT"; return; }
    echo "error: a server that is not a standby listens on $STANDBY_PORT" >&2; exit 1
  fi
  check_primary
  rm -rf "$STANDBY_DIR"
  install -d -o postgres -g postgres -m 0700 "$STANDBY_DIR"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL made meanwhile.
  as_pg pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PG_USER" -D "$STANDBY_DIR" \
    -R -X stream -c fast
  # Debian keeps postgresql.conf and pg_hba.conf outside the data directory: write our own.
  # A hot standby needs these limits at least as high as the primary's.
  local conns workers locks prepared senders
  conns=$(psql_primary "SHOW max_connections")
  workers=$(psql_primary "SHOW max_worker_processes")
  locks=$(psql_primary "SHOW max_locks_per_transaction")
  prepared=$(psql_primary "SHOW max_prepared_transactions")
  senders=$(psql_primary "SHOW max_wal_senders")
  as_pg tee "$STANDBY_DIR/postgresql.conf" >/dev/null <<CONF
port = $STANDBY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$STANDBY_DIR'
hba_file = '$STANDBY_DIR/pg_hba.conf'
hot_standby = on
hot_standby_feedback = on
max_connections = $conns
max_worker_processes = $workers
max_locks_per_transaction = $locks
max_prepared_transactions = $prepared
max_wal_senders = $senders
shared_buffers = 128MB
logging_collector = off
CONF
  as_pg tee "$STANDBY_DIR/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  as_pg "$PGBIN/pg_ctl" -D "$STANDBY_DIR" -l "$STANDBY_DIR/server.log" -w -t 60 start >/dev/null
  for _ in $(seq 60); do
    [ "$(psql_standby 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 1
  done
  status
}

down() {
  if [ -f "$STANDBY_DIR/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$STANDBY_DIR" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$STANDBY_DIR"
  echo "standby on $STANDBY_PORT stopped and removed"
}

status() {
  if ! pg_isready -q -h 127.0.0.1 -p "$STANDBY_PORT"; then
    echo "no standby on $STANDBY_PORT"; return 1
  fi
  echo "standby on 127.0.0.1:$STANDBY_PORT ($STANDBY_DIR): in recovery $(psql_standby 'SELECT pg_is_in_recovery()'), replay lag $(psql_standby "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3) END") s"
  psql_primary "SELECT 'primary sends to ' || coalesce(string_agg(host(client_addr) || ' (' || state || ')', ', '), 'nobody') FROM pg_stat_replication"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
