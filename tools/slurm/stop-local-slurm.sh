#!/usr/bin/env bash
# Stops the single-node cluster that tools/slurm/start-local-slurm.sh started: slurmd, slurmctld, then
# munged, each through its pid file (nothing else is signalled). Safe to run when nothing runs.
# The configuration, state and logs stay; the next start clears the job state (slurmctld -c).
#
# Usage: tools/slurm/stop-local-slurm.sh [--keep-munge]
#   --keep-munge  leave munged running (other software on this host may use it)
set -euo pipefail

readonly RUN_DIR=/run/overparam-slurm
readonly MUNGE_PID=/run/munge/munged.pid
readonly LOCK_FILE=/run/overparam-slurm.lock # shared with start-local-slurm.sh

fail() {
  echo "stop-local-slurm: $*" >&2
  exit 1
}
# Whatever else goes wrong still ends with one line on stderr.
trap 'fail "unexpected failure (exit $?) of: $BASH_COMMAND (line $LINENO)"' ERR
say() { echo "stop-local-slurm: $*"; }

keep_munge=0
for arg in "$@"; do
  case "$arg" in
    --keep-munge) keep_munge=1 ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) fail "unknown argument '$arg' (the only option is --keep-munge)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "not root (uid $(id -u)): cannot stop munged/slurmctld/slurmd; run as root"

exec 9>"$LOCK_FILE"
flock -w 300 9 || fail "another start/stop-local-slurm.sh has held $LOCK_FILE for 300s"

stop_pidfile() { # pidfile name: TERM the process, then KILL after 10 s
  local pid _
  [ -s "$1" ] || { say "$2 is not running"; return 0; }
  pid=$(cat "$1")
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    say "$2 is not running (stale pid file $1)"
    rm -f "$1"
    return 0
  fi
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    sleep 0.1
  done
  say "$2 (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

stop_pidfile "$RUN_DIR/slurmd.pid" slurmd
stop_pidfile "$RUN_DIR/slurmctld.pid" slurmctld
if [ "$keep_munge" -eq 0 ]; then stop_pidfile "$MUNGE_PID" munged; fi
