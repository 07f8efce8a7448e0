#!/usr/bin/env bash
# A throw-away single-node Slurm on this machine, for the opt-in cluster test:
#   local-slurm.sh start DIR CTLD_PORT SLURMD_PORT   munged, slurmctld and slurmd with a generated
#                                                    config in DIR, on loopback only; waits until the
#                                                    node is idle and prints "SLURM_CONF=DIR/slurm.conf"
#   local-slurm.sh stop DIR                          stops the daemons started in DIR
# Everything runs as the calling user (no root, no systemd); nothing outside DIR is written.
set -euo pipefail

die() { echo "local-slurm: $*" >&2; exit 1; }

need_tools() {
  local tool
  for tool in munged slurmctld slurmd sinfo sbatch squeue; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] \
      || die "$tool is missing: run tools/install-deps.sh --cluster"
  done
}

daemon() { command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"; }

write_config() {
  local dir=$1 ctld_port=$2 slurmd_port=$3 user cpus
  user=$(id -un)
  cpus=$(nproc)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 700 "$dir/munge"
  # munged refuses keys that others can read.
  head -c 1024 /dev/urandom >"$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  cat >"$dir/slurm.conf" <<CONF
ClusterName=refine-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MaxArraySize=1001
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=refine-node NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=refine-node Default=YES MaxTime=INFINITE State=UP
CONF
}

wait_for_idle() {
  local dir=$1 i state
  for i in $(seq 1 120); do
    state=$(SLURM_CONF="$dir/slurm.conf" sinfo -h -N -o %t 2>/dev/null || true)
    [ "$state" = "idle" ] && return 0
    sleep 0.5
  done
  echo "--- slurmctld.log" >&2; tail -n 30 "$dir/log/slurmctld.log" >&2 || true
  echo "--- slurmd.log" >&2; tail -n 30 "$dir/log/slurmd.log" >&2 || true
  die "the node did not become idle within 60 s (state: '${state:-none}')"
}

start() {
  local dir=$1 ctld_port=$2 slurmd_port=$3
  need_tools
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  write_config "$dir" "$ctld_port" "$slurmd_port"
  "$(daemon munged)" --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    || die "munged did not start (see $dir/log/munged.log)"
  SLURM_CONF="$dir/slurm.conf" "$(daemon slurmctld)" -f "$dir/slurm.conf" -i \
    || die "slurmctld did not start (see $dir/log/slurmctld.log)"
  SLURM_CONF="$dir/slurm.conf" "$(daemon slurmd)" -f "$dir/slurm.conf" -N refine-node \
    || die "slurmd did not start (see $dir/log/slurmd.log)"
  wait_for_idle "$dir"
  echo "SLURM_CONF=$dir/slurm.conf"
}

stop_pid_file() {
  local pid_file=$1 pid i
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  local dir=$1
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
}

case "${1:-}" in
  start) [ $# -eq 4 ] || die "usage: $0 start DIR CTLD_PORT SLURMD_PORT"; start "$2" "$3" "$4" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 start DIR CTLD_PORT SLURMD_PORT | stop DIR" ;;
esac
