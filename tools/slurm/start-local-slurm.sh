#!/usr/bin/env bash
# Starts, or reuses, a throwaway single-node Slurm cluster on this host, so that tests can submit real
# job arrays (issue 8: sweeps sharded with SLURM_ARRAY_TASK_ID). Idempotent: a rerun keeps daemons that
# already answer with the same configuration and restarts the ones that do not.
#
# Exit 0 once the node is idle and `srun -N1 true` succeeds. Otherwise exit non-zero with exactly one
# line on stderr saying why (progress goes to stdout, package and daemon output to $LOG_DIR).
#
# Usage: tools/slurm/start-local-slurm.sh [--force]
#   --force  overwrite an /etc/slurm/slurm.conf that this script did not write
set -euo pipefail

readonly MARKER='# overparam-local-slurm: written by tools/slurm/start-local-slurm.sh; a rerun overwrites it'
readonly SLURM_CONF=/etc/slurm/slurm.conf
readonly STATE_DIR=/var/lib/overparam-slurm
readonly RUN_DIR=/run/overparam-slurm
readonly LOG_DIR=/var/log/overparam-slurm
readonly MUNGE_KEY=/etc/munge/munge.key
readonly MUNGE_PID=/run/munge/munged.pid
readonly CTLD_PID="$RUN_DIR/slurmctld.pid"
readonly SLURMD_PID="$RUN_DIR/slurmd.pid"
readonly PARTITION=debug
# Bound on waiting for the daemons once they are installed (the issue asks for answers within seconds).
readonly READY_TIMEOUT_S=60
# Test files run in parallel: one start (or stop) at a time. The holder may be installing packages.
readonly LOCK_FILE=/run/overparam-slurm.lock
readonly LOCK_TIMEOUT_S=300

fail() {
  echo "start-local-slurm: $*" >&2
  exit 1
}
# Whatever else goes wrong still ends with one line on stderr.
trap 'fail "unexpected failure (exit $?) of: $BASH_COMMAND (line $LINENO)"' ERR
say() { echo "start-local-slurm: $*"; }

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) fail "unknown argument '$arg' (the only option is --force)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "not root (uid $(id -u)): cannot install slurm-wlm/munge or start munged/slurmctld/slurmd; run as root"

# Daemons started below get "9>&-" so that they do not hold this lock for their lifetime.
exec 9>"$LOCK_FILE"
flock -w "$LOCK_TIMEOUT_S" 9 || fail "another start/stop-local-slurm.sh has held $LOCK_FILE for ${LOCK_TIMEOUT_S}s"

if [ -e "$SLURM_CONF" ] && ! grep -qxF "$MARKER" "$SLURM_CONF" && [ "$force" -eq 0 ]; then
  fail "$SLURM_CONF exists and was not written by this script (a foreign cluster?); rerun with --force to overwrite it"
fi

mkdir -p "$STATE_DIR/slurmctld" "$STATE_DIR/slurmd" "$RUN_DIR" "$LOG_DIR" /etc/slurm

# ---- packages -------------------------------------------------------------------------------------
have_all() {
  local c
  for c in slurmctld slurmd sbatch srun sinfo scontrol munged munge unmunge; do
    command -v "$c" >/dev/null 2>&1 || return 1
  done
}
if ! have_all; then
  say "installing slurm-wlm and munge (apt-get; log: $LOG_DIR/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { timeout 300 apt-get update -qq && timeout 600 apt-get install -y -qq slurm-wlm munge; } >"$LOG_DIR/apt.log" 2>&1; then
    fail "apt-get install slurm-wlm munge failed: $(tail -n 1 "$LOG_DIR/apt.log") (full log: $LOG_DIR/apt.log)"
  fi
  have_all || fail "slurm-wlm and munge were installed but a command is still missing from PATH ($PATH)"
fi

# ---- helpers --------------------------------------------------------------------------------------
pid_alive() { # pidfile -> 0 when the process it names runs
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

stop_pidfile() { # pidfile name: TERM the process, then KILL after 10 s
  local pid _
  pid_alive "$1" || { rm -f "$1"; return 0; }
  pid=$(cat "$1")
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
  rm -f "$1"
}

deadline=$((SECONDS + READY_TIMEOUT_S))
wait_until() { # command... : poll until the command succeeds or the overall deadline passes
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.25
  done
  return 0
}

# ---- munge ----------------------------------------------------------------------------------------
munge_works() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }

install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s "$MUNGE_KEY" ]; then
  say "generating $MUNGE_KEY"
  (umask 077 && dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none)
fi
chown munge:munge "$MUNGE_KEY"
chmod 0400 "$MUNGE_KEY"

if ! munge_works; then
  # A munged that no longer answers (or a stale socket) would block a fresh one.
  stop_pidfile "$MUNGE_PID" munged
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  say "starting munged as user munge"
  runuser -u munge -- munged 9>&- >"$LOG_DIR/munged.out" 2>&1 ||
    fail "munged did not start: $(tail -n 1 "$LOG_DIR/munged.out") (see /var/log/munge/munged.log)"
  wait_until munge_works ||
    fail "munged started but 'munge -n | unmunge' fails (see /var/log/munge/munged.log)"
fi

# ---- slurm.conf -----------------------------------------------------------------------------------
host=$(hostname -s)
[ -n "$host" ] || fail "hostname -s is empty: slurmd cannot find its NodeName"
cpus=$(nproc)
mem_total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
# Half of the physical memory: slurmd drains a node that reports less than RealMemory, and with
# SelectTypeParameters=CR_CPU memory is not a consumable resource anyway.
real_memory_mb=$((mem_total_kb / 1024 / 2))
[ "$real_memory_mb" -ge 1 ] || real_memory_mb=1
# Talk over loopback: a single-node cluster must not depend on the host name resolving (it resolves to
# 127.0.0.1 in /etc/hosts on Debian anyway).
node_addr=127.0.0.1

new_conf=$(mktemp)
trap 'rm -f "$new_conf"' EXIT
cat >"$new_conf" <<EOF
$MARKER
# A throwaway single-node cluster for overparam's Slurm tests. Stop it with tools/slurm/stop-local-slurm.sh.
ClusterName=overparam
SlurmctldHost=$host($node_addr)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
# Debian ships no mail program; without this slurmctld logs "Configured MailProg is invalid".
MailProg=/bin/true
# No cgroups: processes are tracked through /proc, tasks are not bound, nothing is accounted.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Start array tasks as soon as CPUs free up (the default batch_sched_delay=3 adds seconds per wave).
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
StateSaveLocation=$STATE_DIR/slurmctld
SlurmdSpoolDir=$STATE_DIR/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# Short timeouts: a test waits on these, and there is no network between "nodes" to be patient with.
SlurmctldTimeout=10
SlurmdTimeout=30
MessageTimeout=10
InactiveLimit=0
KillWait=5
Waittime=0
MinJobAge=4
NodeName=$host NodeAddr=$node_addr CPUs=$cpus RealMemory=$real_memory_mb State=UNKNOWN
PartitionName=$PARTITION Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

config_changed=0
if ! cmp -s "$new_conf" "$SLURM_CONF"; then
  config_changed=1
  install -m 0644 "$new_conf" "$SLURM_CONF"
  say "wrote $SLURM_CONF (node $host, $cpus CPUs, RealMemory=${real_memory_mb}M)"
fi

# ---- slurmctld + slurmd ---------------------------------------------------------------------------
ctld_answers() { pid_alive "$CTLD_PID" && scontrol ping 2>/dev/null | grep -q 'is UP'; }
# A live slurmctld on a loaded machine (another test run beside this one) can miss one ping; restarting
# it with -c would forget that run's jobs. So a live daemon gets three pings, 2 s apart, before a restart.
ctld_alive_and_answers() {
  local try
  pid_alive "$CTLD_PID" || return 1
  for try in 1 2 3; do
    ctld_answers && return 0
    [ "$try" -lt 3 ] && sleep 2
  done
  return 1
}

restart_ctld=0
if [ "$config_changed" -eq 1 ] || ! ctld_alive_and_answers; then restart_ctld=1; fi
if [ "$restart_ctld" -eq 1 ] || ! pid_alive "$SLURMD_PID"; then
  stop_pidfile "$SLURMD_PID" slurmd
  if [ "$restart_ctld" -eq 1 ]; then
    stop_pidfile "$CTLD_PID" slurmctld
    say "starting slurmctld"
    # -c: forget jobs and node states of earlier runs (a throwaway cluster; a stale DRAIN would stick).
    slurmctld -c 9>&- >"$LOG_DIR/slurmctld.out" 2>&1 ||
      fail "slurmctld did not start: $(tail -n 1 "$LOG_DIR/slurmctld.out") (see $LOG_DIR/slurmctld.log)"
    wait_until ctld_answers ||
      fail "slurmctld does not answer 'scontrol ping' within ${READY_TIMEOUT_S}s: $(tail -n 1 "$LOG_DIR/slurmctld.log" 2>/dev/null)"
  fi
  say "starting slurmd"
  slurmd 9>&- >"$LOG_DIR/slurmd.out" 2>&1 ||
    fail "slurmd did not start: $(tail -n 1 "$LOG_DIR/slurmd.out") (see $LOG_DIR/slurmd.log)"
else
  say "reusing the running slurmctld and slurmd"
fi

node_state() { sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n 1; }
node_idle() { case "$(node_state)" in idle | mixed | allocated) return 0 ;; *) return 1 ;; esac; }

if ! wait_until node_idle; then
  state=$(node_state)
  reason=$(sinfo -h -R -n "$host" -o '%E' 2>/dev/null | head -n 1)
  fail "node $host is '${state:-unknown}' instead of idle after ${READY_TIMEOUT_S}s${reason:+ (reason: $reason)}; see $LOG_DIR/slurmd.log"
fi

# A node running jobs (another test run's sweep) has shown that it runs jobs: probing it with srun
# would queue behind them, so the probe is for an idle node only.
case "$(node_state)" in
  allocated | mixed)
    say "ready: node $host is running jobs already ($(node_state)); skipping the srun probe; logs in $LOG_DIR"
    exit 0
    ;;
esac
# --immediate: on a node busy with earlier jobs, fail with srun's reason instead of queueing.
if ! out=$(timeout 30 srun -N1 -n1 -t 1 --immediate=10 --quiet true 2>&1); then
  fail "node $host is up but 'srun -N1 true' fails: $(echo "$out" | tail -n 1) (see $LOG_DIR/slurmd.log)"
fi
say "ready: node $host idle in partition $PARTITION ($(sinfo --version)); logs in $LOG_DIR"
