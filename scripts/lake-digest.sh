#!/usr/bin/env bash
# Prints an order-free digest of one or more local lakes, one line per dataset, so two lakes (before
# and after a change, a killed run and an uninterrupted one) can be compared with diff:
#
#   scripts/lake-digest.sh LAKE_DIR [LAKE_DIR ...]
#
# Every Parquet dataset of processed/, curated/ and quarantine/ is digested as its sorted rows without
# the columns that name the run (run_id, ingested_at), every export as its sorted lines, plus the file
# quarantine's verdicts, the bookmarks' files and the validation registry (common's test helper
# io.shoplake.common.testing.LakeDigest). Lines are "<lake> <part> <rows> entries, <hash>".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -ge 1 ] || die "Cannot digest: name at least one lake folder (scripts/lake-digest.sh LAKE_DIR ...)"
for lake in "$@"; do
  [ -d "$lake" ] || die "Cannot digest $lake: no such folder"
done

WORK="$REPO_ROOT/.cache/lake-digest"
mkdir -p "$WORK"
echo "Compiling the lake digest (common's test classes) ..." >&2
(cd "$REPO_ROOT" && mvn -q -B -pl common -am -DskipTests install && \
  mvn -q -B -pl common test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/digest.classpath") > "$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; die "Cannot build the lake digest (output above)"; }
DIGEST_CP="$REPO_ROOT/common/target/test-classes:$REPO_ROOT/common/target/classes:$(cat "$WORK/digest.classpath")"
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    sun.nio.ch sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
for lake in "$@"; do
  java -Xmx2g "${OPENS[@]}" -cp "$DIGEST_CP" io.shoplake.common.testing.LakeDigest "$lake" 2> "$WORK/digest.log" \
    | sed "s|^|$lake |" || { cat "$WORK/digest.log" >&2; die "Cannot digest $lake (output above)"; }
done
