#!/usr/bin/env bash
# Benchmarks, each printed with an estimated AWS Glue cost. Run alone on the machine (nothing beside it).
#
#   scripts/bench.sh [--rows N] [--days D]   the small-data floor, then the transaction ETL on N rows
#                                            against a DuckDB reference of the same work (default
#                                            10,000,000 rows, about 1 GB of CSV, over 10 days), and
#                                            Spark's own floor for that input (read, cast, write)
#   scripts/bench.sh --small                 only the small-data floor: a minimal Spark job (JVM start,
#                                            local session, read a small CSV, group and count, write
#                                            Parquet, stop) and the README's sample pipeline, whole
#                                            processes, and their ratio
#   scripts/bench.sh --pipeline --rows N [--days D]
#                                            the whole pipeline on N generated transactions with their
#                                            clickstream, products, categories, reviews and FX rates
#                                            (default 3 days): per step seconds, rows/s; peak RSS
#   --repeat R (with any of the above)       measures it all R times in turn (default 1), each round
#                                            printed, then each figure's median and range over the rounds
#                                            (the ratios; with --pipeline, the whole process's seconds):
#                                            this machine's speed moves by more than many a change, so a
#                                            ratio from one round is one draw of it
#
# Generated inputs are kept in bench-data/ and reused. The transaction comparison checks that both
# wrote the same row count and the same sum of net_amount. Environment: SPARK_DRIVER_MEMORY (default
# 4g); GLUE_DPUS (default 2: the smallest Glue 5 job, two G.1X workers) and GLUE_USD_PER_DPU_HOUR
# (default 0.44) for the cost estimate, which assumes Glue's workers are at least as fast as this
# machine and bills at least one minute.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

MODE=default
ROWS=10000000
DAYS=""
REPEAT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="${2:?--rows needs a value}"; shift 2 ;;
    --days) DAYS="${2:?--days needs a value}"; shift 2 ;;
    --small) MODE=small; shift ;;
    --pipeline) MODE=pipeline; shift ;;
    --repeat) REPEAT="${2:?--repeat needs a value}"; shift 2 ;;
    *) die "Cannot use argument '$1': bench.sh takes --rows N, --days D, --small, --pipeline or --repeat R" ;;
  esac
done
[[ "$ROWS" =~ ^[0-9]+$ ]] || die "Cannot use --rows '$ROWS': expected a whole number"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "Cannot use --repeat '$REPEAT': expected a whole number of rounds, 1 or more"
[ -z "$DAYS" ] || [[ "$DAYS" =~ ^[0-9]+$ ]] || die "Cannot use --days '$DAYS': expected a whole number"

export SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-4g}"
export ETL_PII_HASH_KEY="${ETL_PII_HASH_KEY:-bench-key-not-secret}"
GLUE_DPUS="${GLUE_DPUS:-2}"
GLUE_USD_PER_DPU_HOUR="${GLUE_USD_PER_DPU_HOUR:-0.44}"
ensure_jar
ensure_spark

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

# Each figure the summary reports, by name (in the order first recorded): its values, one per round.
declare -A ROUND_VALUES=()
ROUND_NAMES=()
record() { # name value
  [ -n "${ROUND_VALUES[$1]+set}" ] || ROUND_NAMES+=("$1")
  ROUND_VALUES[$1]="${ROUND_VALUES[$1]:-}${ROUND_VALUES[$1]:+ }$2"
}

# After more than one round: each recorded figure's median and range, and every round's value in order.
print_rounds_summary() {
  [ "$REPEAT" -gt 1 ] || return 0
  printf '\nover %d rounds (median, range; each round in order):\n' "$REPEAT"
  local name
  for name in "${ROUND_NAMES[@]}"; do
    printf '%-34s %s\n' "$name" "$(echo "${ROUND_VALUES[$name]}" | tr ' ' '\n' | sort -g \
      | awk -v all="${ROUND_VALUES[$name]}" '{ v[NR] = $1 } END {
          m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          n = split(all, r, " "); each = sprintf("%.2f", r[1])
          for (i = 2; i <= n; i++) each = each sprintf(", %.2f", r[i])
          printf "%.2f  (%.2f-%.2f; %s)", m, v[1], v[NR], each }')"
  done
}

# "≈ $X on Glue (D DPU)" for a run of $1 seconds: DPU-hours at the measured speed, at least one minute billed.
glue_cost() {
  awk -v s="$1" -v d="$GLUE_DPUS" -v p="$GLUE_USD_PER_DPU_HOUR" \
    'BEGIN { b = s < 60 ? 60 : s; printf "Glue ~$%.4f (%d DPU x %.0f s billed, %.4f DPU-h at $%.2f)", d*b/3600*p, d, b, d*b/3600, p }'
}

# Peak RSS (VmHWM, MB) of the newest java process whose command line matches $1, polled until $2 exits.
peak_rss_mb() {
  local pattern="$1" waitpid="$2" peak=0 pid hwm
  while kill -0 "$waitpid" 2>/dev/null; do
    pid=$(pgrep -n -f "$pattern" || true)
    if [ -n "$pid" ]; then
      hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
    fi
    sleep 0.5
  done
  echo "$peak"
}

# Generates $ROWS transactions over $2 days with seed $3 (and the generator's further arguments) into
# $1/input, unless an earlier run completed it.
generate_once() {
  local data="$1" days="$2" seed="$3"
  shift 3
  [ -f "$data/.complete" ] && return
  echo "Generating $ROWS transactions over $days days into $data (once) ..." >&2
  rm -rf "$data"
  java -cp "$JOBS_JAR" io.shoplake.jobs.tools.GenerateData --out "$data/input" --rows "$ROWS" --days "$days" \
    --seed "$seed" --dirty-ratio 0.02 "$@" >&2
  touch "$data/.complete"
}

# Builds the benchmark classes once per run of this script (the default run measures twice).
build_bench_classes() {
  local out="$1"
  [ -n "${BENCH_CP:-}" ] && return
  echo "Compiling the benchmark classes (Maven profile bench) ..." >&2
  mkdir -p "$out"
  (cd "$REPO_ROOT" && mvn -q -B -Pbench -pl jobs -am -DskipTests install && \
    mvn -q -B -Pbench -pl jobs dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$out/bench.classpath") > "$out/build.log" 2>&1 \
    || { cat "$out/build.log" >&2; die "Cannot build the benchmark classes (output above)"; }
  BENCH_CP="$REPO_ROOT/jobs/target/test-classes:$(cat "$out/bench.classpath")"
}

# Runs the bench class $1 (jobs/src/bench) through the jobs' spark-submit, with their master, driver memory,
# UTC session and logging, output to $2; a failure stops the benchmark, naming $3.
submit_bench_class() {
  local class="$1" log="$2" what="$3"
  shift 3
  # No class archive: the bench classes' folder on the driver's class path is not the one it was recorded on.
  SHOPLAKE_CLASS_ARCHIVE=off submit_profile
  "${SPARK_SUBMIT[@]}" "${SUBMIT_PROFILE[@]}" --conf spark.sql.session.timeZone=UTC \
    --driver-class-path "$REPO_ROOT/jobs/target/test-classes" --class "io.shoplake.bench.$class" \
    "$JOBS_JAR" "$@" > "$log" 2>&1 || { cat "$log" >&2; die "Cannot benchmark: $what failed"; }
}

# The small-data floor: a minimal Spark job and the sample pipeline, one after the other, whole processes.
# The minimal job runs twice: on the defaults (the floor of the ratio: a Spark job as anyone runs it), and
# on the small-input launch profile run-local.sh gives the sample, to show what the profile alone is worth.
bench_small() {
  local work="$REPO_ROOT/bench-data/small" t0 floor floor_small pipeline
  build_bench_classes "$work"
  rm -rf "$work/floor-out" "$work/lake"
  echo "Running the minimal Spark job ..." >&2
  t0=$(now)
  SHOPLAKE_LAUNCH_PROFILE=none submit_bench_class MinimalSparkJob "$work/floor.log" "the minimal Spark job" \
    "$REPO_ROOT/sample-data/raw/transactions/date=2025-01-01" "$work/floor-out"
  floor=$(calc "$(now) - $t0")
  rm -rf "$work/floor-out"
  echo "Running the minimal Spark job on the small-input launch profile ..." >&2
  t0=$(now)
  SHOPLAKE_LAUNCH_PROFILE=small submit_bench_class MinimalSparkJob "$work/floor-small.log" \
    "the minimal Spark job" "$REPO_ROOT/sample-data/raw/transactions/date=2025-01-01" "$work/floor-out"
  floor_small=$(calc "$(now) - $t0")
  echo "Running the sample pipeline (scripts/run-local.sh) ..." >&2
  t0=$(now)
  "$REPO_ROOT/scripts/run-local.sh" --lake-root "$work/lake" > "$work/pipeline.log" 2>&1 \
    || { cat "$work/pipeline.log" >&2; die "Cannot benchmark: the sample pipeline failed"; }
  pipeline=$(calc "$(now) - $t0")
  printf '\n%-34s %.1f s   %s\n' "minimal Spark job (whole process)" "$floor" "$(glue_cost "$floor")"
  printf '%-34s %.1f s   (%s %s; no class archive)\n' "  on the small-input profile" "$floor_small" \
    "$SMALL_INPUT_JAVA_OPTIONS" "${SMALL_INPUT_SPARK_CONF[*]}"
  printf '%-34s %.1f s   %s\n' "sample pipeline (whole process)" "$pipeline" "$(glue_cost "$pipeline")"
  printf '%-34s %s\n' "  its steps" "$(grep '^pipeline ' "$work/pipeline.log")"
  printf '%-34s %s\n' "  driver class archive" "$CLASS_ARCHIVE_STATE"
  printf '%-34s %.2f  (target 2.0; %.2f against the minimal job on the same profile)\n' \
    "ratio pipeline/minimal job" "$(calc "$pipeline / $floor")" "$(calc "$pipeline / $floor_small")"
  record "small: pipeline/minimal job" "$(calc "$pipeline / $floor")"
}

bench_transactions() {
  local days="${DAYS:-10}"
  local data="$REPO_ROOT/bench-data/rows-$ROWS-days-$days"
  generate_once "$data" "$days" 1 --datasets transactions,fx_rates
  build_bench_classes "$data"
  local input_mb lake t0 startup ours job ours_peak duck_wall duck_peak spark_floor
  input_mb=$(du -sm "$data/input/raw/transactions" | cut -f1)
  lake="$data/lake"
  reset_lake() {
    rm -rf "$lake" && mkdir -p "$lake/raw"
    ln -s "$data/input/raw/transactions" "$lake/raw/transactions"
    ln -s "$data/input/raw/fx_rates" "$lake/raw/fx_rates"
  }

  echo "Measuring Spark's fixed start-up (a run with no input) ..." >&2
  reset_lake
  t0=$(now)
  "$REPO_ROOT/scripts/run-job.sh" transactions --lake-root "$lake" --run-date 1900-01-01 >/dev/null 2>&1
  startup=$(calc "$(now) - $t0")

  echo "Running the transaction ETL on $ROWS rows ..." >&2
  reset_lake
  t0=$(now)
  "$REPO_ROOT/scripts/run-job.sh" transactions --lake-root "$lake" > "$data/ours.log" 2>&1 &
  job=$!
  ours_peak=$(peak_rss_mb "io.shoplake.jobs.JobMain" "$job")
  wait "$job" || { cat "$data/ours.log" >&2; die "Cannot benchmark: the transaction job failed"; }
  ours=$(calc "$(now) - $t0")

  echo "Running Spark's floor for the same input (read, cast, partitioned write; no rules) ..." >&2
  rm -rf "$data/floor-out"
  t0=$(now)
  SHOPLAKE_LAUNCH_PROFILE=none submit_bench_class SparkCsvFloor "$data/floor.log" "Spark's floor job" \
    "$data/input/raw/transactions" "$data/floor-out"
  spark_floor=$(calc "$(now) - $t0")
  rm -rf "$data/floor-out"

  echo "Running the DuckDB reference ..." >&2
  rm -rf "$data/duckdb-out"
  java -Xmx8g -cp "$BENCH_CP" io.shoplake.bench.DuckDbTransactionsReference run "$data/input" "$data/duckdb-out" \
    > "$data/duckdb.out" 2> "$data/duckdb.log" &
  job=$!
  t0=$(now)
  duck_peak=$(peak_rss_mb "DuckDbTransactionsReference" "$job")
  wait "$job" || { cat "$data/duckdb.log" >&2; die "Cannot benchmark: the DuckDB reference failed"; }
  duck_wall=$(calc "$(now) - $t0")
  local duck_sql duck_rows duck_sum our_rows our_sum
  read -r duck_sql duck_rows duck_sum < "$data/duckdb.out"
  read -r our_rows our_sum < <(java -cp "$BENCH_CP" io.shoplake.bench.DuckDbTransactionsReference stats \
    "$lake/processed/transactions")
  if [ "$our_rows" != "$duck_rows" ] || [ "$our_sum" != "$duck_sum" ]; then
    echo "MISMATCH: ours wrote $our_rows rows, sum(net_amount) $our_sum; DuckDB $duck_rows rows, $duck_sum" >&2
    exit 1
  fi
  local duck_version
  duck_version=$(sed -n 's:.*<duckdb.version>\(.*\)</duckdb.version>.*:\1:p' "$REPO_ROOT/pom.xml")

  printf '\n%-34s %s\n' "input" "$ROWS rows, $input_mb MB of CSV ($data/input)"
  printf '%-34s %s\n' "rows written (both)" "$our_rows, sum(net_amount) $our_sum"
  printf '%-34s %.1f s\n' "Spark fixed start-up (no input)" "$startup"
  printf '%-34s %.1f s  (%.1f MB/s), peak RSS %s MB, driver %s   %s\n' "ours: wall" "$ours" \
    "$(calc "$input_mb / $ours")" "$ours_peak" "$SPARK_DRIVER_MEMORY" "$(glue_cost "$ours")"
  printf '%-34s %.1f s  (query %.1f s, %.1f MB/s), peak RSS %s MB\n' "DuckDB $duck_version: wall" "$duck_wall" \
    "$duck_sql" "$(calc "$input_mb / $duck_wall")" "$duck_peak"
  printf '%-34s %.1f s  (%.2fx DuckDB: Spark reading, casting and writing the same rows, nothing else)\n' \
    "Spark floor: wall" "$spark_floor" "$(calc "$spark_floor / $duck_wall")"
  printf '%-34s %.2f  (target: 2.0 at 10M rows, 3.0 at 1M)\n' "ratio ours/DuckDB (wall)" "$(calc "$ours / $duck_wall")"
  printf '%-34s %s\n' "seed architecture, for scale" "1 GB in 5 min for about \$0.10 on Glue"
  record "$ROWS rows: ours/DuckDB" "$(calc "$ours / $duck_wall")"
  record "$ROWS rows: ours/Spark floor" "$(calc "$ours / $spark_floor")"
  record "$ROWS rows: Spark floor/DuckDB" "$(calc "$spark_floor / $duck_wall")"
}

bench_pipeline() {
  local days="${DAYS:-3}"
  local data="$REPO_ROOT/bench-data/pipeline-rows-$ROWS-days-$days"
  generate_once "$data" "$days" 7
  local lake="$data/lake" raw_mb t0 wall job peak
  raw_mb=$(du -smL "$data/input/raw" | cut -f1)
  rm -rf "$lake" && mkdir -p "$lake/raw"
  for d in "$data/input/raw/"*; do ln -s "$d" "$lake/raw/$(basename "$d")"; done
  echo "Running the pipeline on $ROWS transactions ($raw_mb MB raw) ..." >&2
  t0=$(now)
  "$REPO_ROOT/scripts/run-job.sh" pipeline --lake-root "$lake" > "$data/pipeline.log" 2>&1 &
  job=$!
  peak=$(peak_rss_mb "io.shoplake.jobs.JobMain" "$job")
  wait "$job" || { tail -40 "$data/pipeline.log" >&2; die "Cannot benchmark: the pipeline failed"; }
  wall=$(calc "$(now) - $t0")
  printf '\n%-34s %s\n' "input" "$ROWS transactions over $days days with their other datasets, $raw_mb MB raw"
  printf '%-34s %8s %10s %10s\n' "step" "seconds" "rows in" "rows/s"
  awk '/^step +status/ {on=1; next} on && NF == 0 {on=0} on && $0 ~ / succeeded / {
         secs = $NF; rows = $(NF-4); name = $0; sub(/ +succeeded.*/, "", name);
         printf "%-34s %8.1f %10d %10.0f\n", name, secs, rows, (secs > 0 ? rows / secs : 0) }' "$data/pipeline.log"
  printf '%-34s %.1f s, peak RSS %s MB, driver %s   %s\n' "whole process" "$wall" "$peak" "$SPARK_DRIVER_MEMORY" \
    "$(glue_cost "$wall")"
  printf '%-34s %.2f us per transaction\n' "time per transaction" "$(calc "$wall * 1000000 / $ROWS")"
  record "pipeline: whole process (s)" "$wall"
}

# The driver's class archive (scripts/lib.sh) is recorded by the first launch that finds none, and that
# launch takes about 11 s more. It is recorded here before anything is timed, on the sample pipeline, so
# every figure is of a launch that maps it, as every local run after the first one does.
ensure_class_archive() {
  SHOPLAKE_LAUNCH_PROFILE=small class_archive_path
  if [ -z "$CLASS_ARCHIVE" ]; then
    CLASS_ARCHIVE_STATE="none (SHOPLAKE_CLASS_ARCHIVE=off, or a SPARK_HOME of its own)"
    return
  fi
  CLASS_ARCHIVE_STATE="$CLASS_ARCHIVE"
  [ -f "$CLASS_ARCHIVE" ] || [ -e "$CLASS_ARCHIVE.failed" ] || {
    echo "Recording the driver's class archive on the sample pipeline (untimed, once per JVM and jar set) ..." >&2
    local lake="$REPO_ROOT/bench-data/class-archive-lake"
    mkdir -p "$REPO_ROOT/bench-data"
    rm -rf "$lake"
    "$REPO_ROOT/scripts/run-local.sh" --lake-root "$lake" > "$REPO_ROOT/bench-data/class-archive.log" 2>&1 \
      || { cat "$REPO_ROOT/bench-data/class-archive.log" >&2; die "Cannot benchmark: the sample pipeline failed"; }
    rm -rf "$lake"
  }
  [ -f "$CLASS_ARCHIVE" ] || CLASS_ARCHIVE_STATE="none (the JVM wrote no archive; see $CLASS_ARCHIVE.failed)"
}

ensure_class_archive
for ((round = 1; round <= REPEAT; round++)); do
  [ "$REPEAT" -eq 1 ] || printf '\n=== round %d of %d ===\n' "$round" "$REPEAT"
  case "$MODE" in
    small) bench_small ;;
    pipeline) bench_pipeline ;;
    default) bench_small; bench_transactions ;;
  esac
done
print_rounds_summary
