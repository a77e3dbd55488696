#!/usr/bin/env bash
# The local stack's processes, shared by deploy/local/up.sh and deploy/local/down.sh. Source it.
#
# Everything is overridable by environment, so that a second, isolated stack can run beside the first one
# (the system tests do that):
#   PAYOUT_RUN_DIR        logs and pid files              (default deploy/local/.run)
#   PAYOUT_PORT_TRANSFER  PAYOUT_PORT_LEDGER  PAYOUT_PORT_BANK_ADAPTER  PAYOUT_PORT_WEBHOOK  PAYOUT_PORT_SANDBOX
#                         HTTP ports                      (default 8080 8081 8082 8083 8090)
#   PAYOUT_DB_TRANSFER    PAYOUT_DB_LEDGER    PAYOUT_DB_BANK_ADAPTER    PAYOUT_DB_WEBHOOK
#                         database names                  (default transfer ledger bank_adapter webhook)
#   PAYOUT_VHOST          RabbitMQ virtual host           (default payout)
#   PAYOUT_PORT_ZIPKIN    the trace viewer's HTTP port    (default 9411)
#   PAYOUT_ZIPKIN=0       do not start the trace viewer (the services then export nothing locally)
#   PAYOUT_SERVICES       which of the five processes this run directory starts and stops (default all, in the order
#                         below). A second instance of the services is a second run directory with its own ports and
#                         PAYOUT_SERVICES without bank-sandbox; the ports of the rest still say where the others are.
#   PAYOUT_DB_HOST PAYOUT_DB_PORT  PAYOUT_RABBITMQ_HOST PAYOUT_RABBITMQ_PORT
#                         another PostgreSQL / RabbitMQ than the local ones (e.g. deploy/local/own-infra.sh's)
#   PAYOUT_INFRA=external PostgreSQL and RabbitMQ are prepared by the caller: up.sh neither installs, starts nor
#                         configures them

STACK_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_ROOT=$(cd "$STACK_LOCAL_DIR/../.." && pwd)

# the order services are started in and listed
# shellcheck disable=SC2034  # used by the scripts that source this file
STACK_ALL_SERVICES=(transfer-service ledger-service bank-adapter-service webhook-service bank-sandbox)
if [ -n "${PAYOUT_SERVICES:-}" ]; then
  STACK_SERVICES=()
  for _svc in "${STACK_ALL_SERVICES[@]}"; do
    case " $PAYOUT_SERVICES " in *" $_svc "*) STACK_SERVICES+=("$_svc") ;; esac
  done
  for _svc in $PAYOUT_SERVICES; do
    case " ${STACK_ALL_SERVICES[*]} " in *" $_svc "*) ;; *) printf 'PAYOUT_SERVICES: unknown %s\n' "$_svc" >&2; exit 2 ;; esac
  done
  unset _svc
else
  STACK_SERVICES=("${STACK_ALL_SERVICES[@]}")
fi

# The local trace viewer: Zipkin's server, an executable jar from Maven Central, fetched once into a cache that
# survives down.sh (deploy/local/target, ignored by git). In-memory storage: traces are gone when it stops.
STACK_ZIPKIN_VERSION=3.6.1
stack_zipkin_enabled() { [ "${PAYOUT_ZIPKIN:-1}" != 0 ]; }

stack_run_dir() {
  local d=${PAYOUT_RUN_DIR:-$STACK_LOCAL_DIR/.run}
  case $d in
    /*) printf '%s\n' "$d" ;;
    *) printf '%s/%s\n' "$PWD" "$d" ;;
  esac
}

# the Maven module directory, relative to the repository root
stack_module() {
  case $1 in
    bank-sandbox) echo deploy/bank-sandbox ;;
    *) echo "$1" ;;
  esac
}

stack_jar() {
  case $1 in
    zipkin) printf '%s/target/zipkin-server-%s-exec.jar\n' "$STACK_LOCAL_DIR" "$STACK_ZIPKIN_VERSION" ;;
    *) printf '%s/%s/target/quarkus-app/quarkus-run.jar\n' "$STACK_ROOT" "$(stack_module "$1")" ;;
  esac
}

stack_port() {
  case $1 in
    transfer-service) echo "${PAYOUT_PORT_TRANSFER:-8080}" ;;
    ledger-service) echo "${PAYOUT_PORT_LEDGER:-8081}" ;;
    bank-adapter-service) echo "${PAYOUT_PORT_BANK_ADAPTER:-8082}" ;;
    webhook-service) echo "${PAYOUT_PORT_WEBHOOK:-8083}" ;;
    bank-sandbox) echo "${PAYOUT_PORT_SANDBOX:-8090}" ;;
    zipkin) echo "${PAYOUT_PORT_ZIPKIN:-9411}" ;;
    *) return 1 ;;
  esac
}

# the service's database; empty for the sandbox, which has none
stack_db() {
  case $1 in
    transfer-service) echo "${PAYOUT_DB_TRANSFER:-transfer}" ;;
    ledger-service) echo "${PAYOUT_DB_LEDGER:-ledger}" ;;
    bank-adapter-service) echo "${PAYOUT_DB_BANK_ADAPTER:-bank_adapter}" ;;
    webhook-service) echo "${PAYOUT_DB_WEBHOOK:-webhook}" ;;
    *) echo "" ;;
  esac
}

stack_vhost() { echo "${PAYOUT_VHOST:-payout}"; }

# Database roles (docs/operating/README.md "Database roles"): each service runs as its runtime role (payout_<service>, DEV-ONLY
# password from its local profile) and migrates as the databases' owner, the one infra.sh set up (PAYOUT_DB_USER,
# DEV-ONLY default payout/payout). Environment, not -D options: a password on a command line is visible to every user.
export PAYOUT_DB_OWNER_USER="${PAYOUT_DB_USER:-payout}"
export PAYOUT_DB_OWNER_PASSWORD="${PAYOUT_DB_PASSWORD:-payout}"

# DEV-ONLY webhook signing secret shared by the sandbox (signs) and webhook-service (verifies); a real bank's secret
# comes from the environment (PAYOUT_WEBHOOK_SECRET)
stack_webhook_secret() { echo "${PAYOUT_WEBHOOK_SECRET:-whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtMzJieXRlcyE=}"; }

# transfer-service's ops page (/ops) reads the other services of THIS stack (their ports may be moved, as the system
# tests do). Environment, not -D options: only transfer-service reads these names, the other processes ignore them.
export PAYOUT_TRANSFER_OPS_PAGE_LEDGER_URL="http://127.0.0.1:$(stack_port ledger-service)"
export PAYOUT_TRANSFER_OPS_PAGE_BANK_ADAPTER_URL="http://127.0.0.1:$(stack_port bank-adapter-service)"
export PAYOUT_TRANSFER_OPS_PAGE_WEBHOOK_URL="http://127.0.0.1:$(stack_port webhook-service)"

# ledger-service's reconciliation reads the bank statement from THIS stack's bank-adapter, with a service token it
# signs with the DEV-ONLY key (bank-adapter's local profile trusts its public half). Environment, like the above: only
# ledger-service reads these names.
export PAYOUT_LEDGER_RECONCILIATION_BANK_ADAPTER_URL="http://127.0.0.1:$(stack_port bank-adapter-service)"
export PAYOUT_LEDGER_SIGNING_KEY_LOCATION="${PAYOUT_LEDGER_SIGNING_KEY_LOCATION:-$STACK_LOCAL_DIR/dev-keys/jwt-private.pem}"

stack_pid_file() { printf '%s/%s.pid\n' "$(stack_run_dir)" "$1"; }
stack_log_file() { printf '%s/%s.log\n' "$(stack_run_dir)" "$1"; }

# The pid recorded for the service if that process is alive AND is this service's JVM (a pid file left over from
# a reboot may name an unrelated process that reused the pid: never signal that one). Prints the pid or fails.
stack_live_pid() {
  local name=$1 file pid
  file=$(stack_pid_file "$name")
  [ -f "$file" ] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] || return 1
  stack_alive "$pid" || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$(stack_jar "$name")" || return 1
  printf '%s\n' "$pid"
}

# true while the process exists and has not exited (a zombie waiting for its parent counts as gone)
stack_alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null || true)
  [ "$state" != Z ]
}
