#!/usr/bin/env bash
# Checks a local lake's numbers against an independent recomputation in DuckDB SQL:
#
#   scripts/check-lake.sh [--lake-root DIR]      (default ./lake, as scripts/run-local.sh leaves it)
#
# Sessions per day from the raw clickstream, customer_summary and daily_product_performance from the
# processed datasets, sales against processed transactions (see jobs/src/bench/java/.../DuckDbLakeCheck).
# Uses the Maven profile `bench` (DuckDB JDBC), never part of the jobs jar. Exit 1 on any difference.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

LAKE="$REPO_ROOT/lake"
while [ $# -gt 0 ]; do
  case "$1" in
    --lake-root) [ $# -ge 2 ] || die "Cannot use --lake-root: no value"; LAKE="$2"; shift 2 ;;
    *) die "Cannot use argument '$1': check-lake.sh takes --lake-root DIR" ;;
  esac
done
[ -d "$LAKE/curated" ] || die "Cannot check $LAKE: no curated/ folder (run scripts/run-local.sh first)"
LAKE="$(cd "$LAKE" && pwd)"

mkdir -p "$REPO_ROOT/.cache"
echo "Compiling the DuckDB check (Maven profile bench) ..." >&2
(cd "$REPO_ROOT" && mvn -q -B -Pbench -pl jobs -am -DskipTests install && \
  mvn -q -B -Pbench -pl jobs dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$REPO_ROOT/.cache/bench.classpath") > "$REPO_ROOT/.cache/check-build.log" 2>&1 \
  || { cat "$REPO_ROOT/.cache/check-build.log" >&2; die "Cannot build the check (output above)"; }
exec java -cp "$REPO_ROOT/jobs/target/test-classes:$(cat "$REPO_ROOT/.cache/bench.classpath")" \
  io.shoplake.bench.DuckDbLakeCheck "$LAKE"
