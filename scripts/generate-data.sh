#!/usr/bin/env bash
# Deterministic raw-zone generator (same options -> same bytes), consistent across datasets.
#
#   scripts/generate-data.sh --out DIR [--rows N] [--days D] [--seed S] [--dirty-ratio R]
#                            [--start-date YYYY-MM-DD] [--datasets transactions,fx_rates,...]
#
# Writes DIR/raw/<dataset>/date=YYYY-MM-DD/* and DIR/mysql/stg_core.sql. Datasets: transactions,
# fx_rates, products, categories, customers, clickstream, reviews, mysql (all by default).
# sample-data/ was made with: --rows 300 --days 3 --seed 42 --dirty-ratio 0.05
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"
ensure_jar
exec java -cp "$JOBS_JAR" io.shoplake.jobs.tools.GenerateData "$@"
