#!/usr/bin/env bash
# Prove one recording on a Slurm cluster: `voizk plan`, then one job array per wave of stages.
#
#   scripts/prove-slurm.sh FILE --template T --nonce HEX --out PROOF
#       [-k K] [--arity A] [--max-seconds S] [--model M]      the proof settings (as `voizk plan`)
#       [--voizk PATH]        the voizk binary (default: voizk on PATH, else target/release/voizk of this checkout)
#       [--dir DIR]           the work dir (default: a new voizk-slurm.XXXXXX in $VOIZK_SLURM_WORKDIR, else in the
#                             current directory; on a real cluster it must be on a file system every node sees)
#       [--cache-dir D]       the circuit cache for the stages (sets VOIZK_CACHE_DIR; default: the stages' own,
#                             ~/.cache/voizk; share it between nodes or every node builds the circuits once)
#       [-c|--cpus-per-task N]  CPUs per stage (default 1); the stage runs `voizk --threads N`
#       [--partition P] [--mem M] [--time T] [--max-parallel P]   passed to sbatch (--max-parallel: array %P)
#       [--sbatch-arg ARG]    any other sbatch option, repeatable (e.g. --sbatch-arg=--account=foo)
#       [--verify-key KEY]    at the end, verify the final proof on this host against KEY (from `voizk keygen`),
#                             the nonce and the h_audio of FILE (`voizk hash-audio`)
#       [--poll S]            seconds between queue polls (default 2)
#       [--no-pipeline]       make the leaves wait for every chunk (plain afterok), not each for its own chunk
#
# Steps: `voizk plan FILE --dir DIR ...` (on this host) writes DIR/plan.json and DIR/wave-W.jobs (one stage id a
# line; the stages of a wave are independent). For every wave W, in order, this submits
#   sbatch --parsable --array=0-(n-1) --dependency=afterok:<job id of wave W-1> --kill-on-invalid-dep=yes
# (for the leaves, wave 1, --dependency=aftercorr:<chunks' job id>: leaf I starts as soon as chunk I is proven),
# whose task I runs `voizk stage DIR --wave W --index $SLURM_ARRAY_TASK_ID` (through DIR/slurm-stage.sh, which also
# writes DIR/logs/wave-W-task-I.status: exit code, host, start and end). Task logs: DIR/logs/wave-W-task-I.log.
# Then it polls squeue until every wave has left the queue; at the first failed task it cancels the waves it
# submitted that are still queued, prints the task's log and exits 1. On success it copies DIR/final.proof to
# --out and prints the job ids and the timings (stdout; progress on stderr). Ctrl-C cancels the submitted jobs.
# No accounting database is needed (sacct is not used).
#
# On a real cluster: DIR, the binary and (best) the cache must be on a shared file system, and the binary must run
# on every node's CPU: it is built with target-cpu=native (.cargo/config.toml), so build it for the nodes (e.g.
# RUSTFLAGS="-C target-cpu=x86-64-v3") or keep the jobs on like nodes (--sbatch-arg=--constraint=...).
# An empty circuit cache makes every stage of the first wave build the same circuits at once: fill it first by
# proving one recording (or run once with --max-parallel 1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[prove-slurm] %s\n' "$*" >&2; }
die() { printf '[prove-slurm] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

file="" template="" nonce="" out="" model="" k="" arity="" max_seconds="" voizk="" dir="" cache_dir=""
cpus=1 partition="" mem="" time_limit="" max_parallel="" verify_key="" poll=2 no_pipeline=0
sbatch_extra=()
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
    case $1 in
        --*=*) opt=${1%%=*}; val=${1#*=}; shift; set -- "$opt" "$val" "$@"; continue ;;
    esac
    case $1 in
        --template) need "$@"; template=$2; shift 2 ;;
        --nonce) need "$@"; nonce=$2; shift 2 ;;
        --out) need "$@"; out=$2; shift 2 ;;
        --model) need "$@"; model=$2; shift 2 ;;
        -k) need "$@"; k=$2; shift 2 ;;
        --arity) need "$@"; arity=$2; shift 2 ;;
        --max-seconds) need "$@"; max_seconds=$2; shift 2 ;;
        --voizk) need "$@"; voizk=$2; shift 2 ;;
        --dir) need "$@"; dir=$2; shift 2 ;;
        --cache-dir) need "$@"; cache_dir=$2; shift 2 ;;
        -c | --cpus-per-task) need "$@"; cpus=$2; shift 2 ;;
        --partition | -p) need "$@"; partition=$2; shift 2 ;;
        --mem) need "$@"; mem=$2; shift 2 ;;
        --time | -t) need "$@"; time_limit=$2; shift 2 ;;
        --max-parallel) need "$@"; max_parallel=$2; shift 2 ;;
        --sbatch-arg) need "$@"; sbatch_extra+=("$2"); shift 2 ;;
        --verify-key) need "$@"; verify_key=$2; shift 2 ;;
        --poll) need "$@"; poll=$2; shift 2 ;;
        --no-pipeline) no_pipeline=1; shift ;;
        -h | --help) usage ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [ -z "$file" ] || die "more than one FILE: $file, $1"; file=$1; shift ;;
    esac
done
[ -n "$file" ] || die "missing FILE (see --help)"
[ -n "$template" ] || die "missing --template"
[ -n "$nonce" ] || die "missing --nonce"
[ -n "$out" ] || die "missing --out"
[ -f "$file" ] || die "no such recording: $file"
[ -f "$template" ] || die "no such template: $template"
[ -z "$model" ] || [ -f "$model" ] || die "no such model: $model"
[ -z "$verify_key" ] || [ -f "$verify_key" ] || die "no such key: $verify_key"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus-per-task must be a positive integer"
[[ $poll =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--poll must be a number of seconds"
for tool in sbatch squeue scontrol scancel; do
    command -v $tool >/dev/null || die "$tool not found: run this on a Slurm submit host (or scripts/slurm-cluster.sh start)"
done

# The binary, as an absolute path the compute nodes can run.
if [ -z "$voizk" ]; then
    if command -v voizk >/dev/null; then
        voizk=$(command -v voizk)
    elif [ -x "$here/../target/release/voizk" ]; then
        voizk=$here/../target/release/voizk
    else
        die "no voizk binary: pass --voizk PATH (build it with cargo build --release -p voizk-cli)"
    fi
fi
[ -x "$voizk" ] || die "not executable: $voizk"
voizk=$(cd "$(dirname "$voizk")" && pwd)/$(basename "$voizk")

if [ -z "$dir" ]; then
    parent=${VOIZK_SLURM_WORKDIR:-$PWD}
    mkdir -p "$parent"
    dir=$(mktemp -d "$parent/voizk-slurm.XXXXXX")
else
    mkdir -p "$dir"
fi
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/logs"
if [ -n "$cache_dir" ]; then
    mkdir -p "$cache_dir"
    cache_dir=$(cd "$cache_dir" && pwd)
fi
case $dir in
    /tmp/* | /var/tmp/* | /dev/shm/*) log "note: $dir is node-local on most clusters; fine for a single node, else use --dir" ;;
esac

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- plan --------------------------------------------------------------------------------------------------
plan_args=(plan "$file" --dir "$dir" --template "$template" --nonce "$nonce")
[ -z "$model" ] || plan_args+=(--model "$model")
[ -z "$k" ] || plan_args+=(-k "$k")
[ -z "$arity" ] || plan_args+=(--arity "$arity")
[ -z "$max_seconds" ] || plan_args+=(--max-seconds "$max_seconds")
log "work dir $dir"
log "$voizk ${plan_args[*]}"
t_plan=$(now)
if ! "$voizk" "${plan_args[@]}" >"$dir/logs/plan.log" 2>&1; then
    cat "$dir/logs/plan.log" >&2
    die "voizk plan failed (log: $dir/logs/plan.log)"
fi
t_planned=$(now)

waves=0
while [ -f "$dir/wave-$waves.jobs" ]; do waves=$((waves + 1)); done
[ $waves -gt 0 ] || die "voizk plan wrote no $dir/wave-0.jobs"
extra=$(find "$dir" -maxdepth 1 -name 'wave-*.jobs' | wc -l)
[ "$extra" = $waves ] || die "wave files are not numbered 0..$((waves - 1)) in $dir"
declare -a wave_n wave_job wave_done
for ((w = 0; w < waves; w++)); do
    wave_n[w]=$(grep -c . "$dir/wave-$w.jobs" || true)
    [ "${wave_n[w]}" -gt 0 ] || die "$dir/wave-$w.jobs lists no stage"
    wave_done[w]=0
done
log "plan: $waves waves, stages per wave: ${wave_n[*]} ($(secs "$t_plan" "$t_planned") s)"

# ---- the task script ---------------------------------------------------------------------------------------
# Baked-in paths, so the job does not depend on the submitting shell's environment.
rm -f "$dir"/logs/wave-*-task-*.status "$dir/final.proof"
{
    echo '#!/usr/bin/env bash'
    echo '# One voizk stage as a Slurm array task; written by scripts/prove-slurm.sh. Usage: slurm-stage.sh WAVE'
    printf 'DIR=%q\nVOIZK=%q\n' "$dir" "$voizk"
    [ -z "$cache_dir" ] || printf 'export VOIZK_CACHE_DIR=%q\n' "$cache_dir"
    cat <<'EOF'
W=${1:?usage: slurm-stage.sh WAVE}
I=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}
threads=${SLURM_CPUS_PER_TASK:-1}
stage=$(sed -n "$((I + 1))p" "$DIR/wave-$W.jobs")
status=$DIR/logs/wave-$W-task-$I.status
start=$(date +%s.%N)
echo "[slurm-stage] wave $W task $I: stage $stage, job ${SLURM_ARRAY_JOB_ID:-?}_$I (${SLURM_JOB_ID:-?}) on $(hostname), $threads threads, $(date -Is)"
rc=0
"$VOIZK" --threads "$threads" stage "$DIR" --wave "$W" --index "$I" || rc=$?
end=$(date +%s.%N)
echo "[slurm-stage] wave $W task $I: stage $stage exit $rc after $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
printf 'rc=%s stage=%s host=%s start=%s end=%s job=%s\n' "$rc" "$stage" "$(hostname)" "$start" "$end" \
    "${SLURM_ARRAY_JOB_ID:-?}_$I" >"$status.tmp" && mv -f "$status.tmp" "$status"
exit "$rc"
EOF
} >"$dir/slurm-stage.sh"
chmod +x "$dir/slurm-stage.sh"

# ---- submit ------------------------------------------------------------------------------------------------
submitted=()
cancel_all() {
    local ids=() w
    for ((w = 0; w < waves; w++)); do
        [ -n "${wave_job[w]:-}" ] && [ "${wave_done[w]}" = 0 ] && ids+=("${wave_job[w]}")
    done
    if [ ${#ids[@]} -gt 0 ]; then
        log "cancelling job(s) ${ids[*]}"
        scancel "${ids[@]}" 2>/dev/null || true
    fi
}
trap 'log "interrupted"; cancel_all; exit 130' INT TERM HUP

common=(--parsable --chdir="$dir" --cpus-per-task="$cpus" --kill-on-invalid-dep=yes)
[ -z "$partition" ] || common+=(--partition="$partition")
[ -z "$mem" ] || common+=(--mem="$mem")
[ -z "$time_limit" ] || common+=(--time="$time_limit")
common+=(${sbatch_extra[@]+"${sbatch_extra[@]}"})
# Wave 1 is the leaves, one per chunk of wave 0 in the same order (leaf-X reads chunk-X only): then the
# leaves' array depends on the chunks' task by task (aftercorr), unless --no-pipeline.
pipeline=0
if [ $no_pipeline = 0 ] && [ $waves -gt 1 ] && [ "${wave_n[0]}" = "${wave_n[1]}" ] &&
    [ "$(sed 's/^chunk-//' "$dir/wave-0.jobs")" = "$(sed 's/^leaf-//' "$dir/wave-1.jobs")" ] &&
    ! grep -qv '^chunk-' "$dir/wave-0.jobs"; then
    pipeline=1
fi
t_submit=$(now)
prev=""
for ((w = 0; w < waves; w++)); do
    range="0-$((wave_n[w] - 1))"
    [ -z "$max_parallel" ] || range+="%$max_parallel"
    args=("${common[@]}" --array="$range" --job-name="voizk-w$w" --output="$dir/logs/wave-$w-task-%a.log")
    if [ -n "$prev" ]; then
        if [ "$w" = 1 ] && [ $pipeline = 1 ]; then
            # Leaf I reads chunk I only: start it when that one chunk is done, not when every chunk is.
            args+=(--dependency="aftercorr:$prev")
        else
            args+=(--dependency="afterok:$prev")
        fi
    fi
    if ! reply=$(sbatch "${args[@]}" "$dir/slurm-stage.sh" "$w" 2>&1); then
        log "sbatch ${args[*]} $dir/slurm-stage.sh $w"
        printf '%s\n' "$reply" >&2
        cancel_all
        die "sbatch failed for wave $w"
    fi
    id=${reply%%;*}
    id=$(printf '%s\n' "$id" | tail -n1 | tr -dc '0-9')
    [ -n "$id" ] || { cancel_all; die "sbatch gave no job id for wave $w: $reply"; }
    wave_job[w]=$id
    submitted+=("$id")
    log "wave $w: job $id, array $range ($(paste -sd' ' "$dir/wave-$w.jobs" | cut -c1-100))${prev:+, ${args[-1]#--dependency=}}"
    prev=$id
done

# ---- wait --------------------------------------------------------------------------------------------------
status_field() { sed -nE "s/.*(^| )$2=([^ ]*).*/\2/p" "$1"; }

fail_task() { # wave task
    local w=$1 i=$2 st=$dir/logs/wave-$1-task-$2.status lg=$dir/logs/wave-$1-task-$2.log stage
    stage=$(sed -n "$((i + 1))p" "$dir/wave-$w.jobs")
    cancel_all
    log "stage $stage (wave $w task $i, job ${wave_job[w]}_$i) failed"
    [ -f "$st" ] && log "status: $(cat "$st")"
    if [ -f "$lg" ]; then
        log "---- last lines of $lg ----"
        tail -n 40 "$lg" >&2
        log "----"
    else
        log "no log $lg"
    fi
    scontrol show job -o "${wave_job[w]}_$i" 2>/dev/null | grep -oE ' (JobState|Reason|ExitCode|NodeList)=[^ ]+' | paste -sd' ' >&2 || true
    die "proof not made; work dir kept: $dir"
}

# The first task of any wave whose status file says it failed: "wave task", or nothing.
first_failed() {
    local f rc
    for f in "$dir"/logs/wave-*-task-*.status; do
        [ -f "$f" ] || continue
        rc=$(status_field "$f" rc)
        if [ "$rc" != 0 ]; then
            f=${f##*/wave-}
            echo "${f%%-task-*} $(basename "${f##*-task-}" .status)"
            return 0
        fi
    done
}

last_report=0
while :; do
    failed=$(first_failed)
    # shellcheck disable=SC2086 # "WAVE TASK": two arguments
    [ -z "$failed" ] || fail_task $failed
    pending=0
    for ((w = 0; w < waves; w++)); do
        [ "${wave_done[w]}" = 0 ] || continue
        if states=$(squeue -h -r -j "${wave_job[w]}" -o '%T' 2>"$dir/logs/squeue.err"); then
            if [ -n "$states" ]; then
                pending=1
                continue
            fi
        elif ! grep -qi 'invalid job id' "$dir/logs/squeue.err"; then
            # The controller did not answer (restarting, overloaded): ask again at the next poll.
            log "squeue: $(head -n1 "$dir/logs/squeue.err")"
            pending=1
            continue
        fi
        # Left the queue (or already purged from it): every task must have written a successful status (a task
        # killed by Slurm, for a time limit, memory, a node failure or scancel, writes none). On a shared file
        # system the last status files may take a moment to show here.
        wave_done[w]=1
        for ((i = 0; i < wave_n[w]; i++)); do
            st=$dir/logs/wave-$w-task-$i.status
            if [ ! -f "$st" ]; then
                # Slurm says COMPLETED (or has forgotten the task): the file should follow; else it never will.
                state=$(scontrol show job -o "${wave_job[w]}_$i" 2>/dev/null | grep -oE ' JobState=[^ ]+' | head -n1 || true)
                case $state in
                    "" | " JobState=COMPLETED")
                        for ((tries = 0; tries < 30; tries++)); do
                            [ ! -f "$st" ] || break
                            sleep 1
                        done ;;
                esac
            fi
            if [ ! -f "$st" ] || [ "$(status_field "$st" rc)" != 0 ]; then
                log "wave $w left the queue without a successful status for task $i"
                fail_task "$w" "$i"
            fi
        done
        log "wave $w done (job ${wave_job[w]}, ${wave_n[w]} stages)"
    done
    [ $pending = 1 ] || break
    t=$(date +%s)
    if [ $((t - last_report)) -ge 30 ]; then
        last_report=$t
        log "waiting: $(squeue -h -r -j "$(IFS=,; echo "${submitted[*]}")" -o '%i %T' 2>/dev/null | awk '{ n[$2]++ } END { for (s in n) printf "%s %d  ", s, n[s] }')"
    fi
    sleep "$poll"
done
t_done=$(now)

[ -s "$dir/final.proof" ] || die "every stage succeeded but $dir/final.proof is missing or empty"
mkdir -p "$(dirname "$out")"
cp "$dir/final.proof" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
trap - INT TERM HUP

verified=""
if [ -n "$verify_key" ]; then
    # Also check that the proof is about this recording: the h_audio it states must be the file's.
    h_audio=$("$voizk" --quiet hash-audio "$file" 2>"$dir/logs/verify.log") || { cat "$dir/logs/verify.log" >&2; die "voizk hash-audio failed"; }
    # voizk verify exits 0 for a valid proof of accept, 1 for a valid proof of reject, 2 for an invalid proof.
    rc=0
    "$voizk" verify "$out" --key "$verify_key" --nonce "$nonce" --audio-commitment "$h_audio" >>"$dir/logs/verify.log" 2>&1 || rc=$?
    case "$rc" in
        0) verified="valid, ACCEPT (voizk verify --key $verify_key --audio-commitment h_audio of $file)" ;;
        1) verified="valid, REJECT (voizk verify --key $verify_key --audio-commitment h_audio of $file)" ;;
        *) cat "$dir/logs/verify.log" >&2; die "the proof $out does NOT verify against $verify_key" ;;
    esac
fi

# ---- report ------------------------------------------------------------------------------------------------
echo "proof      $out ($(wc -c <"$out") bytes)${verified:+, $verified}"
echo "work dir   $dir (task logs in logs/)"
echo "plan       $(secs "$t_plan" "$t_planned") s"
first_start="" last_end=""
for ((w = 0; w < waves; w++)); do
    # One line per stage, and the wave's summary; the status files hold start and end as epoch seconds.
    summary=$(for ((i = 0; i < wave_n[w]; i++)); do cat "$dir/logs/wave-$w-task-$i.status"; done | awk '
        { for (f = 1; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = substr($f, length(kv[1]) + 2) }
          s = v["start"] + 0; e = v["end"] + 0; d = e - s; sum += d
          if (NR == 1 || s < wsn) { wsn = s; ws = v["start"] }
          if (NR == 1 || e > wen) { wen = e; we = v["end"] }
          if (NR == 1 || d > slow) { slow = d; slowest = v["stage"] }
          lines = lines sprintf("    %-14s %7.1f s  %s  %s\n", v["stage"], d, v["job"], v["host"]) }
        END { printf "%s %s %.1f %.1f %s %.1f\n%s", ws, we, wen - wsn, sum, slowest, slow, lines }')
    read -r ws we wall sum slowest slow <<<"$(head -n1 <<<"$summary")"
    [ -n "$first_start" ] || first_start=$ws
    last_end=$we
    printf 'wave %-3d   job %-8s %3d stage(s)  wall %6s s (first start to last end), stage time sum %s s, slowest %s %s s\n' \
        "$w" "${wave_job[w]}" "${wave_n[w]}" "$wall" "$sum" "$slowest" "$slow"
    tail -n +2 <<<"$summary"
done
echo "queue wait $(secs "$t_submit" "$first_start") s (submission to the first stage's start)"
echo "stages     $(secs "$first_start" "$last_end") s (first stage's start to the final stage's end)"
echo "total      $(secs "$t_plan" "$t_done") s (plan to the end of the last wave, as seen by this script)"
echo "job ids    ${submitted[*]}"
