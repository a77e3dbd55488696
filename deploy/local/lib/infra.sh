#!/usr/bin/env bash
# Makes PostgreSQL and RabbitMQ available on this machine the same way for deploy/local/up.sh and .ci/run:
# install from the OS packages when missing, start when stopped, create the roles, databases and vhost.
# Idempotent. Source it, then call ensure_infra.
#
# Database roles (docs/operating/README.md "Database roles"): PAYOUT_DB_USER owns the databases and everything in them and is
# used only by Flyway at start-up (and by the tests to create their databases); each service runs as its own runtime
# role (PAYOUT_DB_RUNTIME_ROLES), which owns nothing and gets its table grants from the service's migrations.
# DEV-ONLY passwords: the owner's is "payout", a runtime role's is "dev-only-<role>". They are public and only fit a
# PostgreSQL on 127.0.0.1 of a developer machine or a CI runner; production roles are created by a DBA
# (docs/operating/README.md) and their passwords reach the services through the environment.

PAYOUT_DB_USER=${PAYOUT_DB_USER:-payout}
PAYOUT_DB_PASSWORD=${PAYOUT_DB_PASSWORD:-payout}
# the services' runtime roles, as named by payout.db.runtime-user in each service's application.properties
PAYOUT_DB_RUNTIME_ROLES=${PAYOUT_DB_RUNTIME_ROLES:-"payout_transfer payout_ledger payout_bank_adapter payout_webhook"}
PAYOUT_DATABASES=${PAYOUT_DATABASES:-"transfer ledger bank_adapter webhook"}
PAYOUT_VHOST=${PAYOUT_VHOST:-payout}

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] FAILED: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"; fi
}

apt_install() {
  log "installing $* from the OS packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $*"
}

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -1; }

ensure_postgres() {
  if [ -z "$(pg_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
  fi
  local v; v=$(pg_version)
  [ -n "$v" ] || die "no PostgreSQL cluster under /etc/postgresql after install"
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL $v"
    as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || die "PostgreSQL did not start"
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL is not accepting connections on 127.0.0.1:5432"

  create_role_and_databases
}

# The payout role and PAYOUT_DATABASES on a PostgreSQL reached as its OS superuser: the local cluster by default, or
# another one on this machine given its socket directory (or host) and port (deploy/local/own-infra.sh does that).
create_role_and_databases() {
  local conn=()
  [ -z "${1:-}" ] || conn+=(-h "$1")
  [ -z "${2:-}" ] || conn+=(-p "$2")
  # the role the services and tests use: password auth works under Debian's default pg_hba (scram on 127.0.0.1)
  as_postgres psql "${conn[@]}" -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL || die "cannot create role ${PAYOUT_DB_USER}"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PAYOUT_DB_USER}') THEN
    CREATE ROLE ${PAYOUT_DB_USER} LOGIN CREATEDB PASSWORD '${PAYOUT_DB_PASSWORD}';
  END IF;
END \$\$;
SQL
  ensure_runtime_roles "${conn[@]}"
  local db
  for db in $PAYOUT_DATABASES; do
    if ! as_postgres psql "${conn[@]}" -tAq -d postgres -c "select 1 from pg_database where datname='$db'" | grep -q 1; then
      log "creating database $db"
      as_postgres createdb "${conn[@]}" -O "$PAYOUT_DB_USER" "$db" || die "createdb $db"
    fi
  done
}

# One runtime role per service: it may log in and nothing else (no superuser, no CREATEDB/CREATEROLE, NOINHERIT);
# every grant it has comes from its service's migrations. Re-running brings an existing
# role back to exactly these attributes and its DEV-ONLY password. Arguments: psql's connection options, if any.
ensure_runtime_roles() {
  local role
  for role in $PAYOUT_DB_RUNTIME_ROLES; do
    [[ $role =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "runtime role name '$role' (use [a-z0-9_])"
    as_postgres psql "$@" -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL || die "cannot create role $role"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN;
  END IF;
END \$\$;
-- DEV-ONLY password (local PostgreSQL only)
ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
  PASSWORD 'dev-only-$role';
SQL
  done
}

ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
    apt_install rabbitmq-server
  fi
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    as_root rabbitmq-server -detached || die "RabbitMQ did not start"
  fi
  # right after -detached the node is not even reachable, and await_startup fails at once: retry it, bounded
  local ready=0
  for _ in $(seq 1 45); do
    if as_root rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; then ready=1; break; fi
    sleep 2
  done
  [ "$ready" = 1 ] || die "RabbitMQ did not become ready within 90 s"
  # the management API: tests create a vhost per test application through it
  if ! curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview 2>/dev/null; then
    log "enabling rabbitmq_management"
    as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null || die "cannot enable rabbitmq_management"
    for _ in $(seq 1 60); do
      curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview 2>/dev/null && break; sleep 0.5
    done
  fi
  curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview || die "RabbitMQ management API not reachable"
  create_vhost http://127.0.0.1:15672
}

# PAYOUT_VHOST and guest's rights on it, through the management API at $1 (the local node's by default).
create_vhost() {
  local api=${1:-http://127.0.0.1:15672}
  curl -fsS -o /dev/null -u guest:guest -X PUT -H 'content-type: application/json' -d '{}' \
    "${api}/api/vhosts/${PAYOUT_VHOST}" || die "cannot create vhost ${PAYOUT_VHOST}"
  curl -fsS -o /dev/null -u guest:guest -X PUT -H 'content-type: application/json' \
    -d '{"configure":".*","write":".*","read":".*"}' \
    "${api}/api/permissions/${PAYOUT_VHOST}/guest" || die "cannot grant guest on ${PAYOUT_VHOST}"
}

# Headless Chromium for the ops page's end-to-end test (system-tests OpsPageIT drives /usr/bin/chromium). Not part of
# ensure_infra: running the stack needs no browser. Debian's package; Ubuntu's is only a snap wrapper.
ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  [ -x /usr/bin/chromium ] || die "no /usr/bin/chromium after installing the chromium package"
  log "browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
}

ensure_infra() {
  command -v curl >/dev/null || apt_install curl
  ensure_postgres
  ensure_rabbitmq
  log "PostgreSQL and RabbitMQ ready"
}
