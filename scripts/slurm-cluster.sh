#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying scripts/prove-slurm.sh without a real cluster.
#
#   scripts/slurm-cluster.sh start    install slurm-wlm and munge if missing, write the config, start munged,
#                                     slurmctld and slurmd, wait until the node is idle
#   scripts/slurm-cluster.sh stop     stop the daemons this script started (by their pid files)
#   scripts/slurm-cluster.sh status   daemons, sinfo, squeue
#
# Meant for a Debian (12) machine or container where we are root and there is no systemd: the daemons are
# started directly, as root. Every step is idempotent; `start` may be re-run at any time (a running cluster
# whose configuration is unchanged is left alone; a changed configuration restarts the daemons).
#
# What it configures, and why (see also the comments in the generated slurm.conf):
# - one node, this host (`slurmd -C`: its real CPU count, sockets, cores, threads and memory), addressed as
#   127.0.0.1 so that the host name need not resolve to a reachable address; one partition `debug` (default);
# - select/cons_tres with CR_CPU: a job or array task takes one CPU unless it asks for more (-c), so on a
#   machine of N CPUs, N single-CPU tasks run at a time; memory is not a consumable resource (ask for it with
#   --mem and it is checked against RealMemory only);
# - proctrack/linuxproc, task/none, jobacct_gather/none: no cgroup plugin at all, so it runs in containers
#   whose cgroup file system is read-only, cgroup v1, hybrid or absent;
# - no accounting database (accounting_storage/none; sacct does not work, use scontrol show job);
# - SlurmUser root, so no directory needs to belong to the `slurm` user.
#
# Environment: SLURM_CLUSTER_NAME (default voizk), SLURM_CONF_DIR (default /etc/slurm),
# SLURM_STATE_DIR (default /var/spool/slurm-voizk), SLURM_LOG_DIR (default /var/log/slurm-voizk),
# SLURM_START_TIMEOUT seconds (default 60).
set -euo pipefail

CLUSTER_NAME=${SLURM_CLUSTER_NAME:-voizk}
CONF_DIR=${SLURM_CONF_DIR:-/etc/slurm}
CONF=$CONF_DIR/slurm.conf
STATE_DIR=${SLURM_STATE_DIR:-/var/spool/slurm-voizk}
LOG_DIR=${SLURM_LOG_DIR:-/var/log/slurm-voizk}
RUN_DIR=/run/slurm-voizk
TIMEOUT=${SLURM_START_TIMEOUT:-60}
MARKER="# Written by voizk scripts/slurm-cluster.sh"
MUNGE_KEY=/etc/munge/munge.key
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=$RUN_DIR/slurmctld.pid
SLURMD_PID=$RUN_DIR/slurmd.pid

log() { printf '[slurm-cluster] %s\n' "$*" >&2; }
die() { printf '[slurm-cluster] error: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts daemons)"; }

# The pid in FILE if that process is alive, else nothing (and status 1).
alive_pid() {
    local file=$1 pid
    [ -s "$file" ] || return 1
    pid=$(tr -dc '0-9' <"$file")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

install_packages() {
    local missing=() p
    for p in munge slurmctld slurmd slurm-client; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand"
    log "installing ${missing[*]} (slurm-wlm's daemons and client) with apt-get"
    # Without systemd, the packages' maintainer scripts would try to start the daemons before there is a
    # configuration; a policy-rc.d that answers 101 stops them. Keep one that is already there.
    local own_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=1
    fi
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
            { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
    } || rc=$?
    [ $own_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ $rc = 0 ] || die "apt-get install ${missing[*]} failed"
}

setup_munge() {
    mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
    if [ ! -s "$MUNGE_KEY" ]; then
        log "creating the munge key $MUNGE_KEY"
        if command -v mungekey >/dev/null; then
            mungekey --create --keyfile="$MUNGE_KEY"
        else
            dd if=/dev/urandom of="$MUNGE_KEY" bs=1 count=1024 status=none
        fi
    fi
    # munged insists that its key, and its directories, belong to the user it runs as and are not
    # writable by others.
    chown munge:munge "$MUNGE_KEY" /etc/munge /run/munge /var/lib/munge /var/log/munge
    chmod 0400 "$MUNGE_KEY"
    chmod 0700 /etc/munge /var/lib/munge /var/log/munge
    chmod 0755 /run/munge
    if alive_pid "$MUNGE_PID" >/dev/null && munge -n </dev/null | unmunge >/dev/null 2>&1; then
        return 0
    fi
    log "starting munged"
    rm -f "$MUNGE_PID" /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
    runuser -u munge -- /usr/sbin/munged
    local i
    for i in $(seq 1 50); do
        munge -n </dev/null | unmunge >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "munged does not answer (see /var/log/munge/munged.log)"
}

# The slurm.conf for this host, on stdout.
render_conf() {
    local node_line node_name
    # `slurmd -C` prints this host's hardware as a NodeName line: NodeName=... CPUs=... Boards=...
    # SocketsPerBoard=... CoresPerSocket=... ThreadsPerCore=... RealMemory=...; use it as it is, so the
    # node registers with exactly what slurmd detects (a mismatch would drain the node).
    node_line=$(slurmd -C 2>/dev/null | grep -m1 '^NodeName=') || die "slurmd -C failed"
    node_name=$(sed -E 's/^NodeName=([^ ]+).*/\1/' <<<"$node_line")
    cat <<EOF
$MARKER; rewritten by every \`start\`.
# A single-node cluster on $node_name for trying voizk's Slurm scripts.
ClusterName=$CLUSTER_NAME
SlurmctldHost=$node_name(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# No mail on this machine; the default /bin/mail is absent and slurmctld logs an error without this.
MailProg=/bin/true
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE_DIR/ctld
SlurmdSpoolDir=$STATE_DIR/d
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: process tracking by the parent-child relation in /proc, no task binding. Works in containers
# and in VMs whose cgroup tree is read-only or not the one slurmd expects.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No accounting database: sacct does not work; scontrol show job does (for MinJobAge seconds after the end).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Keep finished jobs visible to scontrol for 10 minutes (prove-slurm.sh reads their exit codes).
MinJobAge=600
# A node that was down (slurmd restarted) returns to service as soon as it registers with a valid config.
ReturnToService=2
SchedulerType=sched/backfill
# Start a job as soon as its dependency is met: the default (3 s) delay added 3 s between every two waves of a
# proof; with 0 the gap is about 1 s.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MaxArraySize=10001
SlurmctldTimeout=120
SlurmdTimeout=300
InactiveLimit=0
KillWait=30
Waittime=0
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$node_name Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

node_name() { sed -nE 's/^NodeName=([^ ]+).*/\1/p' "$CONF" | head -1; }

stop_daemon() {
    local name=$1 file=$2 pid i
    if pid=$(alive_pid "$file"); then
        log "stopping $name (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) still running after 10 s, sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

wait_idle() {
    local node=$1 state="" i
    for i in $(seq 1 $((TIMEOUT * 2))); do
        state=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -1) || true
        case $state in
            idle | mixed | allocated | completing) log "node $node is $state"; return 0 ;;
            drain* | down* | fail*)
                # A node left down by an earlier run (e.g. slurmd restarted under running jobs).
                if [ $((i % 10)) = 5 ]; then scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true; fi ;;
        esac
        sleep 0.5
    done
    sinfo -N -l >&2 || true
    tail -n 20 "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmd.log" >&2 || true
    die "node $node not idle after ${TIMEOUT}s (state '${state:-unknown}')"
}

cmd_start() {
    need_root
    install_packages
    setup_munge
    mkdir -p "$CONF_DIR" "$STATE_DIR/ctld" "$STATE_DIR/d" "$LOG_DIR" "$RUN_DIR"
    local new changed=0
    new=$(render_conf)
    if [ -e "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then
        local backup
        backup="$CONF.orig.$(date +%Y%m%d%H%M%S)"
        log "$CONF was not written by this script: keeping it as $backup"
        cp -p "$CONF" "$backup"
    fi
    if [ ! -e "$CONF" ] || [ "$new" != "$(cat "$CONF")" ]; then
        log "writing $CONF"
        printf '%s\n' "$new" >"$CONF.tmp" && mv "$CONF.tmp" "$CONF"
        changed=1
    fi
    # The Debian packages read cgroup.conf only for cgroup plugins, which are not used; nothing else needed.
    if [ $changed = 1 ]; then
        stop_daemon slurmd "$SLURMD_PID"
        stop_daemon slurmctld "$CTLD_PID"
    fi
    if ! alive_pid "$CTLD_PID" >/dev/null; then
        log "starting slurmctld (log $LOG_DIR/slurmctld.log)"
        # -i: ignore state files that do not match the configuration (e.g. left by a different slurm.conf)
        slurmctld -i
    fi
    local i
    for i in $(seq 1 $((TIMEOUT * 2))); do
        scontrol ping 2>/dev/null | grep -q 'is UP' && break
        [ "$i" = $((TIMEOUT * 2)) ] && { tail -n 30 "$LOG_DIR/slurmctld.log" >&2 || true; die "slurmctld does not answer"; }
        sleep 0.5
    done
    if ! alive_pid "$SLURMD_PID" >/dev/null; then
        log "starting slurmd (log $LOG_DIR/slurmd.log)"
        slurmd
    fi
    wait_idle "$(node_name)"
    cmd_status
}

cmd_stop() {
    need_root
    local jobs
    jobs=$(squeue -h -o %i 2>/dev/null | wc -l) || jobs=0
    if [ "$jobs" -gt 0 ]; then
        log "warning: $jobs job(s) still queued or running; their processes are not stopped (scancel them first)"
    fi
    stop_daemon slurmd "$SLURMD_PID"
    stop_daemon slurmctld "$CTLD_PID"
    stop_daemon munged "$MUNGE_PID"
}

cmd_status() {
    local name file pid rc=0
    for name in munged slurmctld slurmd; do
        case $name in
            munged) file=$MUNGE_PID ;;
            slurmctld) file=$CTLD_PID ;;
            slurmd) file=$SLURMD_PID ;;
        esac
        if pid=$(alive_pid "$file"); then
            echo "$name: running (pid $pid)"
        else
            echo "$name: not running"
            rc=1
        fi
    done
    if [ $rc = 0 ]; then
        sinfo -N -o '%N %P %T %c %m' || rc=1
        squeue || rc=1
    fi
    return $rc
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 {start|stop|status}" >&2; exit 2 ;;
esac
