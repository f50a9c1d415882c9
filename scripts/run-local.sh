#!/usr/bin/env bash
# The main command: runs the whole local pipeline on the committed sample data, in a local lake.
#
#   scripts/run-local.sh [--lake-root DIR] [--key value ...]
#
# Copies sample-data/raw into <lake>/raw (the raw zone, never modified by a job; default ./lake), then
# runs, in one Spark session: transactions, products, reviews, clickstream, master-merge, and the
# export of the curated tables to JSON Lines. Prints each job's progress, a summary table (status,
# rows in, out, rejected, skipped, seconds) and where to look. Exit code 0 only when every step
# succeeded. Safe to rerun: jobs replace their partitions, they never append duplicates, and
# master-merge recomputes only the dates whose inputs changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAKE="$REPO_ROOT/lake"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lake-root) [ $# -ge 2 ] || die "Cannot use --lake-root: no value"; LAKE="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
mkdir -p "$LAKE"
LAKE="$(cd "$LAKE" && pwd)"

echo "Seeding the raw zone $LAKE/raw from sample-data/raw ..."
mkdir -p "$LAKE/raw"
cp -R "$REPO_ROOT/sample-data/raw/." "$LAKE/raw/"

exec "$REPO_ROOT/scripts/run-job.sh" pipeline --env local --lake-root "$LAKE" "${ARGS[@]+"${ARGS[@]}"}"
