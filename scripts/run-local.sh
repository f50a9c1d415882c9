#!/usr/bin/env bash
# The main command: runs the transaction ETL on the committed sample data, in a local lake.
#
#   scripts/run-local.sh [--lake-root DIR] [--key value ...]
#
# Copies sample-data/raw into <lake>/raw (the raw zone, never modified by a job; default ./lake),
# runs the job with scripts/run-job.sh, and prints where the output and the run manifest are and the
# row counts. Safe to rerun: the job replaces its partitions, it never appends duplicates.
# (Until the local pipeline exists this runs the transaction ETL only.)
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

set +e
"$REPO_ROOT/scripts/run-job.sh" transactions --env local --lake-root "$LAKE" "${ARGS[@]}"
CODE=$?
set -e
if [ $CODE -eq 0 ]; then
  echo
  echo "Look at:"
  echo "  processed:  $LAKE/processed/transactions/year=*/month=*/day=*/*.parquet"
  echo "  quarantine: $LAKE/quarantine/transactions/date=*/ (rejected rows with reject_reason)"
  echo "  manifests:  $LAKE/_runs/transactions/*.json"
fi
exit $CODE
