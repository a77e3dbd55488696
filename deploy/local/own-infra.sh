#!/usr/bin/env bash
# A PostgreSQL cluster and a RabbitMQ node of their own, beside the machine's shared ones, for suites that restart
# the database and the broker (system-tests CrashRestartIT): the shared 5432/5672 are never touched.
# Built from the Debian packages' binaries (the same ones deploy/local/lib/infra.sh installs), in a directory of the
# caller's, as the packages' own OS users (postgres, rabbitmq): both refuse to run as root.
#
#   own-infra.sh up                fresh cluster and node (anything left in the directory is stopped and wiped),
#                                  then the payout role, PAYOUT_DATABASES and PAYOUT_VHOST as lib/infra.sh creates them
#   own-infra.sh restart-postgres  fast shutdown (sessions cut, as on a failover), then start again
#   own-infra.sh restart-rabbitmq  stop the node (connections cut, durable queues kept), then start again
#   own-infra.sh down              stop both and delete the directory
#
# Environment:
#   PAYOUT_OWN_INFRA_DIR               where data, logs and sockets live (required; must be reachable by postgres and
#                                      rabbitmq, e.g. under system-tests/target)
#   PAYOUT_DB_PORT                     the cluster's port on 127.0.0.1 (required)
#   PAYOUT_RABBITMQ_PORT               the node's AMQP port on 127.0.0.1 (required)
#   PAYOUT_RABBITMQ_MANAGEMENT_PORT    its management API port (required)
#   PAYOUT_RABBITMQ_DIST_PORT          its Erlang distribution port (default AMQP port + 20000)
#   PAYOUT_DATABASES, PAYOUT_VHOST     see lib/infra.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/infra.sh
. "$here/lib/infra.sh"

dir=${PAYOUT_OWN_INFRA_DIR:?PAYOUT_OWN_INFRA_DIR: where the own cluster and node live}
pg_port=${PAYOUT_DB_PORT:?PAYOUT_DB_PORT: the own cluster port}
mq_port=${PAYOUT_RABBITMQ_PORT:?PAYOUT_RABBITMQ_PORT: the own node AMQP port}
mq_api_port=${PAYOUT_RABBITMQ_MANAGEMENT_PORT:?PAYOUT_RABBITMQ_MANAGEMENT_PORT: the own node management port}
mq_dist_port=${PAYOUT_RABBITMQ_DIST_PORT:-$((mq_port + 20000))}
for p in "$pg_port" "$mq_port" "$mq_api_port" "$mq_dist_port"; do
  [[ $p =~ ^[0-9]{1,5}$ ]] || die "port '$p'"
done

pg_bin=/usr/lib/postgresql/$(pg_version)/bin
pg_data=$dir/postgres/data
pg_sock=$dir/postgres # the unix socket lives here, not in the shared /var/run/postgresql
mq_dir=$dir/rabbitmq
mq_node=payout-own-$mq_port@localhost
mq_api=http://127.0.0.1:$mq_api_port

pg_ctl() { as_postgres "$pg_bin/pg_ctl" -D "$pg_data" "$@"; }

pg_start() {
  pg_ctl -l "$dir/postgres/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $pg_sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null ||
    die "own PostgreSQL did not start (log $dir/postgres/postgres.log)"
}

pg_stop() {
  [ -f "$pg_data/postmaster.pid" ] || return 0
  pg_ctl -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

pg_up() {
  [ -n "$(pg_version)" ] && [ -x "$pg_bin/initdb" ] || apt_install postgresql
  mkdir -p "$dir/postgres"
  chown postgres: "$dir/postgres"
  # password auth over TCP as Debian's default cluster has it; the OS superuser over the socket
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth-local=peer --auth-host=scram-sha-256 >/dev/null ||
    die "initdb $pg_data"
  pg_start
  create_role_and_databases "$pg_sock" "$pg_port"
  log "own PostgreSQL on 127.0.0.1:$pg_port ($pg_data)"
}

# rabbitmq-server and rabbitmqctl run as the rabbitmq user (its Erlang cookie), with this node's settings only: the
# shared node's /etc/rabbitmq files (env, config, enabled plugins) are replaced by files of our own
mq() {
  local tool=$1
  shift
  as_root env -i PATH=/usr/sbin:/usr/bin:/bin HOME=/var/lib/rabbitmq LANG=C.UTF-8 \
    RABBITMQ_CONF_ENV_FILE="$mq_dir/rabbitmq-env.conf" RABBITMQ_NODENAME="$mq_node" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$mq_port" RABBITMQ_DIST_PORT="$mq_dist_port" \
    RABBITMQ_MNESIA_BASE="$mq_dir/mnesia" RABBITMQ_LOG_BASE="$mq_dir/log" \
    RABBITMQ_CONFIG_FILE="$mq_dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$mq_dir/enabled_plugins" \
    RABBITMQ_PID_FILE="$mq_dir/rabbitmq.pid" ERL_EPMD_ADDRESS=127.0.0.1 \
    runuser -u rabbitmq -- "/usr/lib/rabbitmq/bin/$tool" "$@"
}

mq_start() {
  mq rabbitmq-server -detached || die "own RabbitMQ did not start"
  # right after -detached the node is not even reachable: retry, bounded
  local ready=0
  for _ in $(seq 1 45); do
    if mq rabbitmqctl -q -n "$mq_node" await_startup --timeout 10 >/dev/null 2>&1; then ready=1; break; fi
    sleep 2
  done
  [ "$ready" = 1 ] || die "own RabbitMQ did not become ready within 90 s (logs $mq_dir/log)"
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null -u guest:guest "$mq_api/api/overview" 2>/dev/null && return 0
    sleep 0.5
  done
  die "own RabbitMQ management API not reachable at $mq_api"
}

mq_stop() {
  [ -d "$mq_dir" ] || return 0
  mq rabbitmqctl -q -n "$mq_node" stop >/dev/null 2>&1 || true
}

mq_up() {
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || apt_install rabbitmq-server
  mkdir -p "$mq_dir"
  : >"$mq_dir/rabbitmq-env.conf"
  printf '[rabbitmq_management].\n' >"$mq_dir/enabled_plugins"
  cat >"$mq_dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$mq_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $mq_api_port
EOF
  chown -R rabbitmq: "$mq_dir"
  mq_start
  create_vhost "$mq_api"
  log "own RabbitMQ on 127.0.0.1:$mq_port, management $mq_api (node $mq_node)"
}

down() {
  pg_stop
  mq_stop
  rm -rf "$dir"
}

case ${1:-} in
  up)
    command -v curl >/dev/null || apt_install curl
    down
    pg_up
    mq_up
    ;;
  restart-postgres)
    pg_stop
    pg_start
    ;;
  restart-rabbitmq)
    mq_stop
    mq_start
    ;;
  down) down ;;
  *) die "usage: own-infra.sh up|restart-postgres|restart-rabbitmq|down" ;;
esac
