#!/usr/bin/env bash
# Runs one job of the jobs jar with spark-submit semantics, by its short name:
#
#   scripts/run-job.sh transactions --lake-root ./lake [--run-date 2025-01-02] [--env local] [--key value ...]
#
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set; otherwise Spark's own SparkSubmit from
# jars that Maven fetches once into .cache/. Builds the jar first when it is missing or stale.
# Environment: SPARK_MASTER (default local[*]), SPARK_DRIVER_MEMORY (default 4g),
# SPARK_SUBMIT_EXTRA (more spark-submit options, e.g. "--conf spark.ui.enabled=true"),
# SPARK_DRIVER_JAVA_OPTIONS (more JVM options for the driver, which in local mode runs the tasks too;
# scripts/run-local.sh sets them for a small raw zone).
# Exit code: the job's (0 succeeded, 1 failed, 2 wrong argument or configuration).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/run-job.sh <job> [--key value ...]   (jobs: validate, transactions, products, reviews, clickstream, quality, master-merge, catalog, parquet-to-json, jdbc-extract, ingest --dataset NAME, pipeline)" >&2
  exit 2
fi

ensure_jar
ensure_spark

# shellcheck disable=SC2086
exec "${SPARK_SUBMIT[@]}" \
  --master "${SPARK_MASTER:-local[*]}" \
  --driver-memory "${SPARK_DRIVER_MEMORY:-4g}" \
  --conf spark.ui.enabled=false \
  --conf spark.driver.host="$SPARK_LOCAL_IP" \
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:$REPO_ROOT/scripts/log4j2.properties ${SPARK_DRIVER_JAVA_OPTIONS:-}" \
  ${SPARK_SUBMIT_EXTRA:-} \
  --class io.shoplake.jobs.JobMain \
  "$JOBS_JAR" "$@"
