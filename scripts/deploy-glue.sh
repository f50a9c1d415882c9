#!/usr/bin/env bash
# Deploys every job of the jar to AWS Glue for one environment:
#
#   scripts/deploy-glue.sh <dev|staging|prod> [--dry-run]
#
# Builds the jar, then writes the request of each job (GlueJobRequests, from the one definition
# jobs/src/main/resources/deploy/glue-jobs.conf) to target/deploy/<env>/<job>.create.json and
# <job>.update.json. --dry-run stops there and prints what it would call: it needs neither the AWS CLI
# nor credentials. Without it: uploads the jar and the placeholder script to s3://<env>-shoplake-artifacts/
# and creates each job, or updates it when it exists (aws glue get-job), with the AWS CLI and the
# credentials it finds. Exit codes: 0 done, 1 an AWS call failed, 2 a wrong argument or a missing tool.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 1 ] || die "usage: scripts/deploy-glue.sh <dev|staging|prod> [--dry-run]"
ENV_NAME="$1"
shift
DRY_RUN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1; shift ;;
    *) die "Cannot use argument '$1': deploy-glue.sh takes <env> [--dry-run]" ;;
  esac
done
[[ "$ENV_NAME" =~ ^(dev|staging|prod)$ ]] || die "Cannot deploy to '$ENV_NAME': expected dev, staging or prod"

ensure_jar
ensure_spark
OUT="$REPO_ROOT/target/deploy/$ENV_NAME"
rm -rf "$OUT"
mkdir -p "$OUT"
LISTING="$(java -cp "$JOBS_JAR:$SPARK_HOME/jars/*" -Dlog4j2.configurationFile="file:$REPO_ROOT/scripts/log4j2.properties" \
  io.shoplake.jobs.deploy.GlueJobRequests "$ENV_NAME" "$OUT")"
ARTIFACTS="$(echo "$LISTING" | sed -n 's/^artifacts //p')"
LISTING="$(echo "$LISTING" | grep -v '^artifacts ')"

echo "Wrote the Glue requests of $(echo "$LISTING" | wc -l) job(s) for $ENV_NAME to ${OUT#"$REPO_ROOT"/}:"
if [ "$DRY_RUN" = 1 ]; then
  echo "  aws s3 cp jobs/target/shoplake-jobs.jar $ARTIFACTS/jars/shoplake-jobs.jar"
  echo "  aws s3 cp scripts/glue/placeholder.scala $ARTIFACTS/glue/placeholder.scala"
fi
while read -r job name create update; do
  if [ "$DRY_RUN" = 1 ]; then
    echo "  $job: aws glue create-job --cli-input-json file://${create#"$REPO_ROOT"/}"
    echo "  ${job//?/ }  (or, when $name exists: aws glue update-job --cli-input-json file://${update#"$REPO_ROOT"/})"
  fi
done <<< "$LISTING"
if [ "$DRY_RUN" = 1 ]; then
  echo "Dry run: nothing was sent."
  exit 0
fi

command -v aws >/dev/null || die "Cannot deploy: the AWS CLI is not installed (use --dry-run to only write the requests)"
aws sts get-caller-identity >/dev/null 2>&1 || die "Cannot deploy: the AWS CLI has no working credentials"
aws s3 cp "$JOBS_JAR" "$ARTIFACTS/jars/shoplake-jobs.jar" || exit 1
aws s3 cp "$REPO_ROOT/scripts/glue/placeholder.scala" "$ARTIFACTS/glue/placeholder.scala" || exit 1
while read -r job name create update; do
  if aws glue get-job --job-name "$name" >/dev/null 2>&1; then
    aws glue update-job --cli-input-json "file://$update" >/dev/null || exit 1
    echo "  $job: updated $name"
  else
    aws glue create-job --cli-input-json "file://$create" >/dev/null || exit 1
    echo "  $job: created $name"
  fi
done <<< "$LISTING"
