#!/usr/bin/env bash
# Runs one job of the jobs jar with spark-submit semantics, by its short name:
#
#   scripts/run-job.sh transactions --lake-root ./lake [--run-date 2025-01-02] [--env local] [--key value ...]
#
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set; otherwise Spark's own SparkSubmit from
# jars that Maven fetches once into .cache/. Builds the jar first when it is missing or stale.
# Environment: SPARK_MASTER (default local[*]), SPARK_DRIVER_MEMORY (default 4g),
# SPARK_SUBMIT_EXTRA (more spark-submit options, e.g. "--conf spark.ui.enabled=true"),
# SPARK_DRIVER_JAVA_OPTIONS (more JVM options for the driver, which in local mode runs the tasks too),
# SHOPLAKE_LAUNCH_PROFILE=small|batch|none (lib.sh's launch profiles; default batch, run-local.sh picks small
# for a small raw zone).
# Jobs: validate, transactions, products, reviews, clickstream, quality, master-merge, catalog,
# parquet-to-json, jdbc-extract, ingest --dataset NAME, pipeline. `scripts/run-job.sh <job> --help` lists
# the arguments a job takes.
# Exit code: the job's (0 succeeded, 1 failed, 2 wrong argument or configuration).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "${1:-}"

if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/run-job.sh <job> [--key value ...]   (jobs: validate, transactions, products, reviews, clickstream, quality, master-merge, catalog, parquet-to-json, jdbc-extract, ingest --dataset NAME, pipeline)" >&2
  exit 2
fi

ensure_jar
ensure_spark
submit_profile

# shellcheck disable=SC2086
LAUNCH=("${SPARK_SUBMIT[@]}" "${SUBMIT_PROFILE[@]}" ${SPARK_SUBMIT_EXTRA:-} --class io.shoplake.jobs.JobMain "$JOBS_JAR" "$@")
# The launch that records the class archive (lib.sh) waits for the JVM to keep the archive; the others
# replace this shell, so a signal to its process reaches the JVM.
[ -n "$CLASS_ARCHIVE_RECORDING" ] || exec "${LAUNCH[@]}"
run_submit "${LAUNCH[@]}" || exit $?
