#!/usr/bin/env bash
# The long kill loop: a job (or the whole pipeline) killed with kill -9 at random moments on generated
# data, then rerun with the same command, and the lake compared with an uninterrupted run's.
#
#   scripts/kill-loop.sh [--job pipeline|transactions|products|reviews|clickstream] [--rows N] [--days D] [--rounds R]
#                        [--kills-per-round K] [--seed S]
#   (defaults: pipeline, 100,000 transactions over 3 days with their clickstream, products and reviews,
#    5 rounds of 2 kills each)
#
# Each round starts from a fresh lake on the same raw zone, starts the job as scripts/run-job.sh does,
# kills its whole process group with SIGKILL at a random moment (uniform between 5% and 95% of the
# uninterrupted run's time), starts it again, and so on K times; then one plain rerun. The lake's
# order-free digest (processed, curated, quarantine, exports, bookmarks, file registry: the test
# helper io.shoplake.common.testing.LakeDigest) must equal the uninterrupted run's, with no temporary
# file left where readers look. Prints one line per kill and per round, then a summary; exit 1 when
# any round differs. Run it alone on the machine: it is a soak test, not a unit test (the tests do a
# few fixed moments, see KillAndRerunTest and PipelineKillAndRerunTest).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

JOB=pipeline
ROWS=100000
DAYS=3
ROUNDS=5
KILLS=2
SEED=1
while [ $# -gt 0 ]; do
  case "$1" in
    --job) JOB="${2:?--job needs a value}"; shift 2 ;;
    --rows) ROWS="${2:?--rows needs a value}"; shift 2 ;;
    --days) DAYS="${2:?--days needs a value}"; shift 2 ;;
    --rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
    --kills-per-round) KILLS="${2:?--kills-per-round needs a value}"; shift 2 ;;
    --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
    *) die "Cannot use argument '$1': kill-loop.sh takes --job, --rows, --days, --rounds, --kills-per-round, --seed" ;;
  esac
done
for n in "$ROWS" "$DAYS" "$ROUNDS" "$KILLS" "$SEED"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "Cannot use '$n': expected a whole number"
done
[ "$ROUNDS" -ge 1 ] && [ "$KILLS" -ge 1 ] || die "Cannot loop: --rounds and --kills-per-round must be at least 1"
command -v setsid >/dev/null || die "Cannot kill a process group: setsid (util-linux) is not installed"

# The transaction job needs its CSV and the FX rates only; the others need the whole raw zone.
case "$JOB" in
  transactions) DATASETS=transactions,fx_rates ;;
  pipeline|products|reviews|clickstream) DATASETS=transactions,fx_rates,products,categories,clickstream,reviews ;;
  *) die "Cannot loop over job '$JOB': expected pipeline, transactions, products, reviews or clickstream" ;;
esac
DATA="$REPO_ROOT/bench-data/kill-loop-rows-$ROWS-days-$DAYS-${DATASETS//,/-}"
WORK="$DATA/work"
ensure_jar
ensure_spark
export ETL_PII_HASH_KEY="${ETL_PII_HASH_KEY:-kill-loop-key-not-secret}"

if [ ! -f "$DATA/.complete" ]; then
  echo "Generating $ROWS transactions over $DAYS days ($DATASETS) into $DATA (once) ..." >&2
  rm -rf "$DATA"
  java -cp "$JOBS_JAR" io.shoplake.jobs.tools.GenerateData --out "$DATA/input" --rows "$ROWS" --days "$DAYS" \
    --seed 1 --dirty-ratio 0.02 --datasets "$DATASETS" >&2
  touch "$DATA/.complete"
fi

prepare_lake_digest "$WORK"
digest() { lake_digest "$1"; }

fresh_lake() { # a new lake whose raw zone links to the generated input (raw is never written)
  rm -rf "$1"
  mkdir -p "$1/raw"
  for dataset in "$DATA/input/raw/"*; do
    ln -s "$dataset" "$1/raw/$(basename "$dataset")"
  done
}

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

# Starts the job in a process group of its own; sets RUN_PID.
start_run() {
  setsid "$REPO_ROOT/scripts/run-job.sh" "$JOB" --lake-root "$1" > "$2" 2>&1 &
  RUN_PID=$!
}

# The stage a log was in last: its newest progress line, or start-up when it had none yet.
last_stage() {
  local stage
  stage=$({ grep ' INFO progress: ' "$1" || true; } | tail -n 1 | sed 's/^.* INFO progress: //' | cut -c1-60)
  echo "${stage:-start-up (Spark, arguments, lock)}"
}

echo "Uninterrupted run of $JOB (the reference) ..." >&2
fresh_lake "$WORK/reference"
T0=$(now)
if ! "$REPO_ROOT/scripts/run-job.sh" "$JOB" --lake-root "$WORK/reference" > "$WORK/reference.log" 2>&1; then
  tail -n 40 "$WORK/reference.log" >&2
  die "Cannot loop: the uninterrupted run of $JOB failed (log above, whole in $WORK/reference.log)"
fi
REFERENCE_SECONDS=$(calc "$(now) - $T0")
digest "$WORK/reference" > "$WORK/reference.digest"
grep -qE '^(leftover|stale staging) ' "$WORK/reference.digest" \
  && die "Cannot loop: the uninterrupted run left temporary files (see $WORK/reference.digest)"
printf '%-8s %s\n' "job" "$JOB on $ROWS transactions over $DAYS days ($(du -shL "$DATA/input/raw" | cut -f1) raw)"
printf '%-8s %.1f s uninterrupted, %s digest parts\n' "ref" "$REFERENCE_SECONDS" "$(wc -l < "$WORK/reference.digest")"

FAILED=0
KILLED=0
ENDED_FIRST=0
RERUN_TOTAL=0
for round in $(seq 1 "$ROUNDS"); do
  LAKE="$WORK/round-$round"
  fresh_lake "$LAKE"
  for kill in $(seq 1 "$KILLS"); do
    AT=$(awk -v s="$SEED" -v r="$round" -v k="$kill" -v t="$REFERENCE_SECONDS" \
      'BEGIN { srand(s * 1000003 + r * 1009 + k); printf "%.1f", t * (0.05 + 0.9 * rand()) }')
    LOG="$LAKE.kill-$kill.log"
    start_run "$LAKE" "$LOG"
    sleep "$AT"
    if kill -0 "$RUN_PID" 2>/dev/null; then
      kill -9 -- "-$RUN_PID" 2>/dev/null || true
      wait "$RUN_PID" 2>/dev/null || true
      KILLED=$((KILLED + 1))
      printf '%-8s kill %d at %5.1f s, in: %s\n' "round $round" "$kill" "$AT" "$(last_stage "$LOG")"
    else
      wait "$RUN_PID" 2>/dev/null || true
      ENDED_FIRST=$((ENDED_FIRST + 1))
      printf '%-8s kill %d at %5.1f s: the run had ended already\n' "round $round" "$kill" "$AT"
    fi
  done
  T0=$(now)
  CODE=0
  "$REPO_ROOT/scripts/run-job.sh" "$JOB" --lake-root "$LAKE" > "$LAKE.rerun.log" 2>&1 || CODE=$?
  RERUN=$(calc "$(now) - $T0")
  RERUN_TOTAL=$(calc "$RERUN_TOTAL + $RERUN")
  digest "$LAKE" > "$LAKE.digest"
  if [ "$CODE" -eq 0 ] && diff -q "$WORK/reference.digest" "$LAKE.digest" > /dev/null; then
    printf '%-8s rerun exit 0 in %.1f s: lake identical to the uninterrupted run\n' "round $round" "$RERUN"
    rm -rf "$LAKE" "$LAKE".*.log "$LAKE.digest"
  else
    FAILED=$((FAILED + 1))
    printf '%-8s rerun exit %d in %.1f s: LAKE DIFFERS (kept in %s, logs beside it):\n' "round $round" "$CODE" \
      "$RERUN" "$LAKE"
    diff "$WORK/reference.digest" "$LAKE.digest" | sed 's/^/           /' || true
  fi
done

printf '\n%d round(s), %d kill(s) landed, %d came after the run had ended; %d round(s) differ; mean rerun %.1f s' \
  "$ROUNDS" "$KILLED" "$ENDED_FIRST" "$FAILED" "$(calc "$RERUN_TOTAL / $ROUNDS")"
printf ' (uninterrupted %.1f s)\n' "$REFERENCE_SECONDS"
[ "$FAILED" -eq 0 ]
