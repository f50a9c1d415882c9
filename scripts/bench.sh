#!/usr/bin/env bash
# Benchmark of the transaction ETL against a DuckDB reference implementation of the same transformation.
#
#   scripts/bench.sh [--rows N] [--days D]     (default 10,000,000 rows, about 1 GB of CSV, over 10 days)
#
# Generates the input once (bench-data/rows-N, reused), then prints: input MB, rows, Spark's fixed
# start-up (a run with no input), our wall seconds, MB/s, peak memory (RSS high-water mark of the
# driver JVM), the same for DuckDB, and the ratio ours/DuckDB, after checking that both wrote the same
# row count and the same sum of net_amount. Environment: SPARK_DRIVER_MEMORY (default 8g).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=10000000
DAYS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="${2:?--rows needs a value}"; shift 2 ;;
    --days) DAYS="${2:?--days needs a value}"; shift 2 ;;
    *) die "Cannot use argument '$1': bench.sh takes --rows N and --days D" ;;
  esac
done
[[ "$ROWS" =~ ^[0-9]+$ ]] || die "Cannot use --rows '$ROWS': expected a whole number"

DATA="$REPO_ROOT/bench-data/rows-$ROWS-days-$DAYS"
ensure_jar
ensure_spark
if [ ! -f "$DATA/.complete" ]; then
  echo "Generating $ROWS transactions over $DAYS days into $DATA (once) ..." >&2
  rm -rf "$DATA"
  java -cp "$JOBS_JAR" io.shoplake.jobs.tools.GenerateData --out "$DATA/input" --rows "$ROWS" --days "$DAYS" \
    --seed 1 --dirty-ratio 0.02 --datasets transactions,fx_rates >&2
  touch "$DATA/.complete"
fi

echo "Compiling the DuckDB reference (Maven profile bench) ..." >&2
(cd "$REPO_ROOT" && mvn -q -B -Pbench -pl jobs -am -DskipTests install && \
  mvn -q -B -Pbench -pl jobs dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$DATA/bench.classpath") > "$DATA/build.log" 2>&1 \
  || { cat "$DATA/build.log" >&2; die "Cannot build the benchmark classes (output above)"; }
BENCH_CP="$REPO_ROOT/jobs/target/test-classes:$(cat "$DATA/bench.classpath")"

# Peak RSS (VmHWM) of the newest java process whose command line matches $1, polled until $2 exits.
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

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
INPUT_MB=$(du -sm "$DATA/input/raw/transactions" | cut -f1)
LAKE="$DATA/lake"
export SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-8g}"
export ETL_PII_HASH_KEY="${ETL_PII_HASH_KEY:-bench-key-not-secret}"

reset_lake() {
  rm -rf "$LAKE" && mkdir -p "$LAKE/raw"
  ln -s "$DATA/input/raw/transactions" "$LAKE/raw/transactions"
  ln -s "$DATA/input/raw/fx_rates" "$LAKE/raw/fx_rates"
}

echo "Measuring Spark's fixed start-up (a run with no input) ..." >&2
reset_lake
T0=$(now)
"$REPO_ROOT/scripts/run-job.sh" transactions --lake-root "$LAKE" --run-date 1900-01-01 >/dev/null 2>&1
STARTUP=$(calc "$(now) - $T0")

echo "Running the transaction ETL on $ROWS rows ..." >&2
reset_lake
T0=$(now)
"$REPO_ROOT/scripts/run-job.sh" transactions --lake-root "$LAKE" > "$DATA/ours.log" 2>&1 &
JOB=$!
OURS_PEAK=$(peak_rss_mb "io.shoplake.jobs.JobMain" "$JOB")
wait "$JOB" || { cat "$DATA/ours.log" >&2; die "Cannot benchmark: the transaction job failed"; }
OURS=$(calc "$(now) - $T0")

echo "Running the DuckDB reference ..." >&2
rm -rf "$DATA/duckdb-out"
java -Xmx8g -cp "$BENCH_CP" io.shoplake.bench.DuckDbTransactionsReference run "$DATA/input" "$DATA/duckdb-out" \
  > "$DATA/duckdb.out" 2> "$DATA/duckdb.log" &
JOB=$!
T0=$(now)
DUCK_PEAK=$(peak_rss_mb "DuckDbTransactionsReference" "$JOB")
wait "$JOB" || { cat "$DATA/duckdb.log" >&2; die "Cannot benchmark: the DuckDB reference failed"; }
DUCK_WALL=$(calc "$(now) - $T0")
read -r DUCK_SQL DUCK_ROWS DUCK_SUM < "$DATA/duckdb.out"
read -r OUR_ROWS OUR_SUM < <(java -cp "$BENCH_CP" io.shoplake.bench.DuckDbTransactionsReference stats \
  "$LAKE/processed/transactions")

if [ "$OUR_ROWS" != "$DUCK_ROWS" ] || [ "$OUR_SUM" != "$DUCK_SUM" ]; then
  echo "MISMATCH: ours wrote $OUR_ROWS rows, sum(net_amount) $OUR_SUM; DuckDB $DUCK_ROWS rows, $DUCK_SUM" >&2
  exit 1
fi

printf '\n%-34s %s\n' "input" "$ROWS rows, $INPUT_MB MB of CSV ($DATA/input)"
printf '%-34s %s\n' "rows written (both)" "$OUR_ROWS, sum(net_amount) $OUR_SUM"
printf '%-34s %.1f s\n' "Spark fixed start-up (no input)" "$STARTUP"
printf '%-34s %.1f s  (%.1f MB/s), peak RSS %s MB\n' "ours: wall" "$OURS" "$(calc "$INPUT_MB / $OURS")" "$OURS_PEAK"
printf '%-34s %.1f s  (%.1f MB/s)\n' "ours: wall minus start-up" "$(calc "$OURS - $STARTUP")" \
  "$(calc "$INPUT_MB / ($OURS - $STARTUP)")"
printf '%-34s %.1f s  (query %.1f s, %.1f MB/s), peak RSS %s MB\n' "DuckDB: wall" "$DUCK_WALL" "$DUCK_SQL" \
  "$(calc "$INPUT_MB / $DUCK_WALL")" "$DUCK_PEAK"
printf '%-34s %.2f\n' "ratio ours/DuckDB (wall)" "$(calc "$OURS / $DUCK_WALL")"
