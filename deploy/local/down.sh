#!/usr/bin/env bash
# Stops the processes deploy/local/up.sh started, found by their pid files only (never by name): SIGTERM
# (graceful shutdown), up to PAYOUT_STOP_TIMEOUT seconds (default 20), then SIGKILL. Removes the pid files.
# PostgreSQL and RabbitMQ are left running. Honors PAYOUT_RUN_DIR and PAYOUT_SERVICES (see lib/stack.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/stack.sh
. "$here/lib/stack.sh"

say() { printf '[down] %s\n' "$*" >&2; }

stop_timeout=${PAYOUT_STOP_TIMEOUT:-20}
[[ $stop_timeout =~ ^[0-9]+$ ]] || { say "PAYOUT_STOP_TIMEOUT must be a number of seconds"; exit 2; }

# signal every live process first (the services, the bank sandbox, the trace viewer), so they shut down in parallel
stopping=()
processes=("${STACK_SERVICES[@]}")
# the trace viewer belongs to the whole run directory, not to a subset of its services
[ -n "${PAYOUT_SERVICES:-}" ] || processes+=(zipkin)
for svc in "${processes[@]}"; do
  pid_file=$(stack_pid_file "$svc")
  [ -f "$pid_file" ] || continue
  if pid=$(stack_live_pid "$svc"); then
    say "stopping $svc (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    stopping+=("$svc:$pid")
  else
    say "$svc was not running (stale pid file removed)"
    rm -f "$pid_file"
  fi
done

deadline=$(($(date +%s) + stop_timeout))
for entry in "${stopping[@]+"${stopping[@]}"}"; do
  svc=${entry%%:*}
  pid=${entry##*:}
  while stack_alive "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 0.2
  done
  if stack_alive "$pid"; then
    say "$svc (pid $pid) still running after ${stop_timeout} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do stack_alive "$pid" || break; sleep 0.2; done
  fi
  rm -f "$(stack_pid_file "$svc")"
done

if [ ${#stopping[@]} -eq 0 ]; then
  say "nothing was running (run dir $(stack_run_dir))"
else
  say "stopped ${#stopping[@]} process(es); logs kept in $(stack_run_dir)"
fi
