#!/usr/bin/env bash
# Prints an order-free digest of one or more local lakes, one line per dataset, so two lakes (before
# and after a change, a killed run and an uninterrupted one) can be compared with diff:
#
#   scripts/lake-digest.sh LAKE_DIR [LAKE_DIR ...]
#
# Every Parquet dataset of processed/, curated/ and quarantine/ is digested as its row count and the sum of
# its rows' hashes (order-free; computed where the rows are read, so a lake of millions of rows fits a 2 GB
# heap) without the columns that name the run (run_id, ingested_at), every export as its sorted lines, the
# file quarantine's verdicts, the bookmarks' files and the validation registry (common's test helper
# io.shoplake.common.testing.LakeDigest). Lines are "<lake> <part> <rows> entries, <hash>".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"
[ $# -ge 1 ] || die "Cannot digest: name at least one lake folder (scripts/lake-digest.sh LAKE_DIR ...)"
for lake in "$@"; do
  [ -d "$lake" ] || die "Cannot digest $lake: no such folder"
done

prepare_lake_digest "$REPO_ROOT/.cache/lake-digest"
for lake in "$@"; do
  lake_digest "$lake" | sed "s|^|$lake |"
done
