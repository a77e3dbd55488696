#!/usr/bin/env bash
# One command for the whole local stack: PostgreSQL and RabbitMQ (installed from the OS packages if missing),
# a build when the jars are missing or older than their sources, then the trace viewer (Zipkin), the four services
# and the bank sandbox in the `local` profile. Waits until every one is ready and prints how to use it.
#
# Idempotent: run it again and it starts only what is not running (e.g. a service that crashed or was killed).
# deploy/local/down.sh stops what it started.
#
# Environment (all optional):
#   PAYOUT_SKIP_BUILD=1      never build; PAYOUT_FORCE_BUILD=1 always build (even under running services)
#                            By default it builds when a jar is missing or older than its sources, but not while
#                            JVMs run from these jars (the build would rewrite the files under them).
#   PAYOUT_READY_TIMEOUT     seconds to wait for readiness (default 90)
#   PAYOUT_HTTP_HOST         interface the services listen on (default 127.0.0.1: the dev JWT key is public)
#   PAYOUT_JAVA_OPTS         extra JVM options for every process
#   PAYOUT_ZIPKIN=0          no trace viewer (see lib/stack.sh; its port is PAYOUT_PORT_ZIPKIN, default 9411)
#   ports, database names, vhost and run directory: see lib/stack.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/stack.sh
. "$here/lib/stack.sh"

say() { printf '[up] %s\n' "$*" >&2; }
fail() { printf '[up] FAILED: %s\n' "$*" >&2; exit 1; }

run_dir=$(stack_run_dir)
ready_timeout=${PAYOUT_READY_TIMEOUT:-90}
http_host=${PAYOUT_HTTP_HOST:-127.0.0.1}
public_key="$here/dev-keys/jwks.json"   # DEV-ONLY key set: the %local profile trusts it alone

# --- settings sanity: names end up in SQL and URLs, ports in -D options --------------------------------------------
for svc in "${STACK_SERVICES[@]}" zipkin; do
  port=$(stack_port "$svc")
  if ! [[ $port =~ ^[0-9]{1,5}$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    fail "port of $svc is '$port'"
  fi
  db=$(stack_db "$svc")
  if [ -n "$db" ] && ! [[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    fail "database name of $svc is '$db' (use [a-z0-9_])"
  fi
done
[[ $(stack_vhost) =~ ^[A-Za-z0-9_.-]+$ ]] || fail "vhost '$(stack_vhost)' (use [A-Za-z0-9_.-])"
[[ $ready_timeout =~ ^[0-9]+$ ]] || fail "PAYOUT_READY_TIMEOUT must be a number of seconds"
[ -r "$public_key" ] || fail "dev key set $public_key missing (see dev-keys/README.md)"

# --- infrastructure: the databases and the vhost of this stack ------------------------------------------------------
dbs=""
for svc in "${STACK_SERVICES[@]}"; do
  db=$(stack_db "$svc")
  [ -z "$db" ] || dbs+="${dbs:+ }$db"
done
export PAYOUT_DATABASES="$dbs"
PAYOUT_VHOST=$(stack_vhost)
export PAYOUT_VHOST
# shellcheck source=lib/infra.sh
. "$here/lib/infra.sh"
if [ "${PAYOUT_INFRA:-}" = external ]; then
  say "PostgreSQL and RabbitMQ prepared by the caller (PAYOUT_INFRA=external)"
else
  ensure_infra
fi

# --- a JDK >= 21 ---------------------------------------------------------------------------------------------------
java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}
java_ok() {
  local v
  [ -x "$1" ] || return 1
  v=$(java_major "$1")
  [ -n "$v" ] && [ "$v" -ge 21 ]
}
pick_java() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && java_ok "$JAVA_HOME/bin/java"; then
    printf '%s\n' "$JAVA_HOME/bin/java"
    return
  fi
  if candidate=$(command -v java) && java_ok "$candidate"; then
    readlink -f "$candidate"
    return
  fi
  for candidate in /usr/lib/jvm/temurin-25*/ /usr/lib/jvm/*21*/ /usr/lib/jvm/*25*/; do
    if java_ok "${candidate}bin/java"; then
      printf '%s\n' "${candidate}bin/java"
      return
    fi
  done
  return 1
}
java_bin=$(pick_java) || fail "no JDK >= 21 found (set JAVA_HOME)"
java_home=$(cd "$(dirname "$java_bin")/.." && pwd)
say "java: $java_bin ($(java_major "$java_bin"))"

# --- build when a jar is missing or older than what it is built from ------------------------------------------------
# A service is also rebuilt when the shared platform module or the parent pom changed.
stale_reason() {
  local svc=$1 module jar newer
  module=$(stack_module "$svc")
  jar=$(stack_jar "$svc")
  if [ ! -f "$jar" ]; then
    printf '%s: no jar\n' "$svc"
    return 0
  fi
  # src/main only: test sources do not go into the jar
  local inputs=("$STACK_ROOT/$module/src/main" "$STACK_ROOT/$module/pom.xml" "$STACK_ROOT/pom.xml")
  if [ "$svc" != bank-sandbox ]; then
    inputs+=("$STACK_ROOT/platform/src/main" "$STACK_ROOT/platform/pom.xml")
  fi
  newer=$(find "${inputs[@]}" -type f -newer "$jar" -print -quit 2>/dev/null || true)
  if [ -n "$newer" ]; then
    printf '%s: %s changed\n' "$svc" "${newer#"$STACK_ROOT"/}"
    return 0
  fi
  return 1
}

# JVMs (of this stack or of another run directory) running from this checkout's jars: a build would rewrite the
# jars under them, so it waits until they are stopped.
jvms_on_these_jars() {
  local cmdline_file svc
  for cmdline_file in /proc/[0-9]*/cmdline; do
    for svc in "${STACK_SERVICES[@]}"; do
      if tr '\0' ' ' 2>/dev/null <"$cmdline_file" | grep -qF -- "$(stack_jar "$svc")"; then
        cmdline_file=${cmdline_file#/proc/}
        printf '%s(%s) ' "$svc" "${cmdline_file%/cmdline}"
        break
      fi
    done
  done
}

if [ "${PAYOUT_SKIP_BUILD:-0}" = 1 ]; then
  say "build skipped (PAYOUT_SKIP_BUILD=1)"
else
  reasons=""
  if [ "${PAYOUT_FORCE_BUILD:-0}" = 1 ]; then
    reasons="PAYOUT_FORCE_BUILD=1"
  else
    for svc in "${STACK_SERVICES[@]}"; do
      if r=$(stale_reason "$svc"); then reasons+="${reasons:+; }$r"; fi
    done
  fi
  if [ -z "$reasons" ]; then
    say "jars are up to date"
  elif running=$(jvms_on_these_jars) && [ -n "$running" ] && [ "${PAYOUT_FORCE_BUILD:-0}" != 1 ]; then
    say "NOT rebuilding although sources changed ($reasons): running from these jars: $running"
    say "the running services keep their code; run down.sh, then up.sh, to build and run the new code"
  else
    say "building ($reasons)"
    started=$(date +%s)
    (cd "$STACK_ROOT" && JAVA_HOME="$java_home" ./mvnw -q -DskipTests -DskipITs package >&2) || fail "build failed"
    say "built in $(($(date +%s) - started)) s"
  fi
fi
for svc in "${STACK_SERVICES[@]}"; do
  [ -f "$(stack_jar "$svc")" ] || fail "$(stack_jar "$svc") missing: build first (./mvnw -DskipTests package)"
done

# --- the trace viewer's jar: Zipkin's server from Maven Central (through the local repository), fetched once ---------
zipkin_jar=$(stack_jar zipkin)
if stack_zipkin_enabled && [ ! -f "$zipkin_jar" ]; then
  say "fetching the trace viewer (io.zipkin:zipkin-server:$STACK_ZIPKIN_VERSION:exec)"
  fetch_dir=$(mktemp -d "${TMPDIR:-/tmp}/payout-zipkin.XXXXXX")
  # copied beside the final name and moved, so an interrupted fetch never leaves half a jar to run
  if (cd "$STACK_ROOT" && JAVA_HOME="$java_home" ./mvnw -q -B -N \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.zipkin:zipkin-server:$STACK_ZIPKIN_VERSION:jar:exec" -DoutputDirectory="$fetch_dir" >&2); then
    mkdir -p "$(dirname "$zipkin_jar")"
    mv -f "$fetch_dir/$(basename "$zipkin_jar")" "$zipkin_jar"
    rm -rf "$fetch_dir"
  else
    rm -rf "$fetch_dir"
    fail "could not fetch zipkin-server (PAYOUT_ZIPKIN=0 starts the stack without the trace viewer)"
  fi
fi

# --- start what is not running ---------------------------------------------------------------------------------------
mkdir -p "$run_dir"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

java_opts=(-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxMetaspaceSize=160m)
if [ -n "${PAYOUT_JAVA_OPTS:-}" ]; then
  read -r -a extra <<<"$PAYOUT_JAVA_OPTS"
  java_opts+=("${extra[@]}")
fi

start_service() {
  local svc=$1 port db log pid_file pid
  port=$(stack_port "$svc")
  db=$(stack_db "$svc")
  log=$(stack_log_file "$svc")
  pid_file=$(stack_pid_file "$svc")
  if pid=$(stack_live_pid "$svc"); then
    say "$svc already running (pid $pid, port $port)"
    return 0
  fi
  rm -f "$pid_file"
  local props=(-Dquarkus.profile=local -Dquarkus.http.port="$port" -Dquarkus.http.host="$http_host")
  if [ -n "$db" ]; then
    props+=(-Dpayout.db.name="$db" -Drabbitmq-virtual-host="$(stack_vhost)")
    [ -z "${PAYOUT_DB_HOST:-}" ] || props+=(-Dpayout.db.host="$PAYOUT_DB_HOST")
    [ -z "${PAYOUT_DB_PORT:-}" ] || props+=(-Dpayout.db.port="$PAYOUT_DB_PORT")
    [ -z "${PAYOUT_RABBITMQ_HOST:-}" ] || props+=(-Drabbitmq-host="$PAYOUT_RABBITMQ_HOST")
    [ -z "${PAYOUT_RABBITMQ_PORT:-}" ] || props+=(-Drabbitmq-port="$PAYOUT_RABBITMQ_PORT")
    # spans go to this stack's trace viewer (platform tracing); without it, nowhere
    if stack_zipkin_enabled; then
      props+=(-Dpayout.tracing.zipkin.endpoint="http://127.0.0.1:$(stack_port zipkin)/api/v2/spans")
    else
      props+=(-Dpayout.tracing.zipkin.enabled=false)
    fi
  fi
  case $svc in
    bank-adapter-service) props+=(-Dpayout.bank.base-url="http://127.0.0.1:$(stack_port bank-sandbox)") ;;
    webhook-service) props+=(-Dpayout.webhook.secrets="$(stack_webhook_secret)") ;;
    bank-sandbox)
      props+=(-Dpayout.sandbox.webhook-url="http://127.0.0.1:$(stack_port webhook-service)/v1/webhooks/bank"
        -Dpayout.sandbox.webhook-secret="$(stack_webhook_secret)") ;;
  esac
  [ ! -f "$log" ] || mv -f "$log" "$log.1"
  # own session: the JVM outlives this script and a Ctrl-C in this terminal
  PAYOUT_JWT_JWKS_URL="$public_key" nohup setsid "$java_bin" "${java_opts[@]}" "${props[@]}" \
    -jar "$(stack_jar "$svc")" </dev/null >"$log" 2>&1 &
  echo $! >"$pid_file"
  say "$svc starting (pid $!, port $port, log ${log#"$PWD"/})"
  started_now+=("$svc")
}

processes=("${STACK_SERVICES[@]}")
if stack_zipkin_enabled; then processes+=(zipkin); fi

# every port first, so that a conflict starts nothing
for svc in "${processes[@]}"; do
  if ! stack_live_pid "$svc" >/dev/null && port_in_use "$(stack_port "$svc")"; then
    fail "$svc: port $(stack_port "$svc") is taken by a process this stack did not start (PAYOUT_PORT_* to move it)"
  fi
done

started_now=()
# The trace viewer first, and ready before any service starts: the Zipkin exporter drops (does not retry) a batch it
# cannot deliver. Small heap; in-memory storage capped well below that; loopback only.
start_zipkin() {
  local port log pid_file pid
  port=$(stack_port zipkin)
  log=$(stack_log_file zipkin)
  pid_file=$(stack_pid_file zipkin)
  if pid=$(stack_live_pid zipkin); then
    say "zipkin already running (pid $pid, port $port)"
    return 0
  fi
  rm -f "$pid_file"
  [ ! -f "$log" ] || mv -f "$log" "$log.1"
  # In-memory storage evicts the oldest traces past max-spans; a transfer makes ~65 spans (SQL included), so 25 000
  # keeps the last few hundred transfers within the heap (100 000 ran out of 128 MB after the system tests' 700+).
  # Out of memory it exits instead of limping on: up.sh starts it again.
  nohup setsid "$java_bin" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError \
    -jar "$zipkin_jar" \
    "--armeria.ports[0].port=$port" "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].protocols[0]=http" \
    --zipkin.storage.mem.max-spans=25000 </dev/null >"$log" 2>&1 &
  echo $! >"$pid_file"
  say "zipkin starting (pid $!, port $port, log ${log#"$PWD"/})"
  started_now+=(zipkin)
}
if stack_zipkin_enabled; then
  start_zipkin
  zipkin_deadline=$(($(date +%s) + ready_timeout))
  until curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$(stack_port zipkin)/health" 2>/dev/null; do
    if ! stack_live_pid zipkin >/dev/null; then
      tail -n 40 "$(stack_log_file zipkin)" >&2 2>/dev/null || true
      fail "zipkin exited (PAYOUT_ZIPKIN=0 starts the stack without it)"
    fi
    [ "$(date +%s)" -lt "$zipkin_deadline" ] || fail "zipkin not ready after $ready_timeout s ($(stack_log_file zipkin))"
    sleep 1
  done
fi

for svc in "${STACK_SERVICES[@]}"; do
  start_service "$svc"
done

# --- wait until every service is ready --------------------------------------------------------------------------------
ready_url() { printf 'http://127.0.0.1:%s/q/health/ready\n' "$(stack_port "$1")"; }
is_ready() { curl -fsS --max-time 2 -o /dev/null "$(ready_url "$1")" 2>/dev/null; }

wait_started=$(date +%s)
deadline=$((wait_started + ready_timeout))
pending=("${STACK_SERVICES[@]}")
dead=()
while [ ${#pending[@]} -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do
  still=()
  for svc in "${pending[@]}"; do
    if is_ready "$svc"; then
      continue
    fi
    if ! stack_live_pid "$svc" >/dev/null; then
      dead+=("$svc")
      continue
    fi
    still+=("$svc")
  done
  pending=("${still[@]+"${still[@]}"}")
  [ ${#pending[@]} -eq 0 ] || sleep 1
done

failed=("${dead[@]+"${dead[@]}"}" "${pending[@]+"${pending[@]}"}")
if [ ${#failed[@]} -gt 0 ]; then
  for svc in "${failed[@]}"; do
    if printf '%s\n' "${dead[@]+"${dead[@]}"}" | grep -qx -- "$svc"; then
      printf '\n[up] %s exited. Last 40 lines of %s:\n' "$svc" "$(stack_log_file "$svc")" >&2
    else
      printf '\n[up] %s not ready after %s s (%s). Last 40 lines of %s:\n' \
        "$svc" "$ready_timeout" "$(ready_url "$svc")" "$(stack_log_file "$svc")" >&2
    fi
    tail -n 40 "$(stack_log_file "$svc")" >&2 2>/dev/null || printf '(no log)\n' >&2
  done
  fail "not ready: ${failed[*]} (deploy/local/down.sh stops the rest)"
fi
say "all ready (${#started_now[@]} started, waited $(($(date +%s) - wait_started)) s)"

# --- demo data: the funded account the printed curl uses (idempotent: same id, same deposit reference) ------------
if [ "${PAYOUT_SEED:-1}" = 1 ]; then
  ops_token=$("$here/token.sh" local-ops ops)
  ledger_api="http://127.0.0.1:$(stack_port ledger-service)"
  if curl -fsS -o /dev/null --max-time 10 -X POST "$ledger_api/v1/accounts" -H "Authorization: Bearer $ops_token" \
      -H 'Content-Type: application/json' -d '{"id":"acc-123","currency":"KRW","owner":"client-a"}' &&
    curl -fsS -o /dev/null --max-time 10 -X POST "$ledger_api/v1/accounts/acc-123/deposits" \
      -H "Authorization: Bearer $ops_token" -H 'Content-Type: application/json' \
      -d '{"amount":"1000000","reference":"local-seed-acc-123"}'; then
    say "account acc-123 (KRW, owner client-a) funded with 1000000"
  else
    say "WARNING: could not seed account acc-123 through $ledger_api (PAYOUT_SEED=0 skips this)"
  fi
fi

# --- how to use it ------------------------------------------------------------------------------------------------------
token_cmd="$here/token.sh"
case $token_cmd in "$PWD"/*) token_cmd=${token_cmd#"$PWD"/} ;; esac
if command -v uuidgen >/dev/null; then key_cmd='uuidgen'; else key_cmd='cat /proc/sys/kernel/random/uuid'; fi
api="http://localhost:$(stack_port transfer-service)"

printf '\nPayout local stack is up (profile local, logs and pids in %s)\n\n' "$run_dir"
for svc in "${STACK_SERVICES[@]}"; do
  base="http://localhost:$(stack_port "$svc")"
  printf '  %-21s %-23s swagger %s/q/swagger-ui  metrics %s/q/metrics  health %s/q/health/ready\n' \
    "$svc" "$base" "$base" "$base" "$base"
done
if stack_zipkin_enabled; then
  printf '  %-21s %-23s traces  %s/zipkin/\n' zipkin "http://localhost:$(stack_port zipkin)" \
    "http://localhost:$(stack_port zipkin)"
fi
cat <<EOF

Create a transfer (client-a):

  curl -i -X POST $api/v1/transfers \\
    -H "Authorization: Bearer \$($token_cmd client-a)" \\
    -H "Idempotency-Key: \$($key_cmd)" \\
    -H 'Content-Type: application/json' \\
    -d '{"source_account":"acc-123","destination":{"bank_code":"004","account_number":"12345678901234"},"amount":"15000","currency":"KRW","memo":"rent"}'

Watch it (the id is in the answer and its Location header):

  curl -s $api/v1/transfers/<id> -H "Authorization: Bearer \$($token_cmd client-a)"
  tail -f $run_dir/*.log

EOF
if stack_zipkin_enabled; then
  cat <<EOF
Its trace (all four services, the bank call and the webhook's work; trace_id is in the transfer resource):

  http://localhost:$(stack_port zipkin)/zipkin/traces/<trace_id>

EOF
fi
cat <<EOF
Ops page (a transfer's whole journey, anomalies, stuck transfers, dead letters): log in with the token
that "$token_cmd me ops" prints, at

  $api/ops/login

Reconcile today against the bank's statement:

  curl -s -X POST http://localhost:$(stack_port ledger-service)/v1/reconciliations \\
    -H "Authorization: Bearer \$($token_cmd me ops)" -H 'Content-Type: application/json' \\
    -d "{\\"date\\":\\"\$(TZ=Asia/Seoul date +%F)\\"}"

Tokens: $token_cmd SUBJECT [ROLE...]   (add the role ops for ops endpoints)
Stop:   ${here#"$PWD"/}/down.sh
EOF
