#!/usr/bin/env bash
# Deploys the jobs and their orchestration to AWS for one environment:
#
#   scripts/deploy-glue.sh <dev|staging|prod> [--dry-run]
#
# Builds the jar, then writes every request under target/deploy/<env>/ (DeployPlan, from the job
# catalog, the pipeline's step graph and jobs/src/main/resources/deploy/glue-jobs.conf):
#   iam/            the three roles' trust and inline policies (glue-job, pipeline, scheduler)
#   glue-jobs/      CreateJob / UpdateJob per job
#   sns/            the notification topic
#   state-machine/  the ASL definition (<name>.asl.json) and CreateStateMachine / UpdateStateMachine
#   scheduler/      the daily EventBridge Scheduler schedule
#   athena/         the databases and tables (Athena DDL, partition projection: no crawler)
# Account id and region are ${AWS_ACCOUNT_ID} and ${AWS_REGION} in those files.
#
# --dry-run stops there and prints each call it would make: it needs neither the AWS CLI nor
# credentials. Without it: fills in the account and region of the CLI's credentials, then creates or
# updates, in order, the roles, the jar and placeholder script in s3://<env>-shoplake-artifacts/, the
# Glue jobs, the topic, the state machine, the schedule and the Athena tables. Every call is
# idempotent: rerun after a failure. Exit codes: 0 done, 1 an AWS call failed, 2 a wrong argument or a
# missing tool.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

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
PLAN="$(java -cp "$JOBS_JAR:$SPARK_HOME/jars/*" -Dlog4j2.configurationFile="$REPO_ROOT/scripts/log4j2.properties" \
  io.shoplake.jobs.deploy.DeployPlan "$ENV_NAME" "$OUT")"
rel() { echo "${1#"$REPO_ROOT"/}"; }
# The plan names its files relative to $OUT (one word each, wherever the clone is: its path may hold spaces).
listed() { rel "$OUT/$1"; }
ARTIFACTS="$(echo "$PLAN" | sed -n 's/^artifacts //p')"
echo "Wrote the deployment of $ENV_NAME to $(rel "$OUT"): $(find "$OUT" -type f | wc -l) files"

if [ "$DRY_RUN" = 1 ]; then
  echo "It would call, with \${AWS_ACCOUNT_ID} and \${AWS_REGION} filled in:"
  while read -r kind a b c d; do
    case "$kind" in
      role)
        echo "  aws iam create-role --role-name $a --assume-role-policy-document file://$(listed "$b")  (when missing)"
        echo "  aws iam put-role-policy --role-name $a --policy-name $a --policy-document file://$(listed "$c")" ;;
      artifacts)
        echo "  aws s3 cp jobs/target/shoplake-jobs.jar $a/jars/shoplake-jobs.jar"
        echo "  aws s3 cp scripts/glue/placeholder.scala $a/glue/placeholder.scala" ;;
      job)
        echo "  aws glue create-job --cli-input-json file://$(listed "$c")  (or update-job --cli-input-json file://$(listed "$d") when $b exists)" ;;
      topic)
        echo "  aws sns create-topic --cli-input-json file://$(listed "$b")" ;;
      state-machine)
        echo "  aws stepfunctions create-state-machine --cli-input-json file://$(listed "$c")  (or update-state-machine --cli-input-json file://$(listed "$d") when $a exists)" ;;
      schedule)
        echo "  aws scheduler create-schedule --cli-input-json file://$(listed "$b")  (or update-schedule when $a exists)" ;;
      athena)
        echo "  aws athena start-query-execution --query-string file://$(listed "$a")" ;;
      named-query)
        echo "  aws athena create-named-query --cli-input-json file://$(listed "$b")  (when $a is missing)" ;;
    esac
  done <<< "$PLAN"
  echo "Dry run: nothing was sent."
  exit 0
fi

command -v aws >/dev/null || die "Cannot deploy: the AWS CLI is not installed (use --dry-run to only write the requests)"
ACCOUNT="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" \
  || die "Cannot deploy: the AWS CLI has no working credentials"
REGION="${AWS_REGION:-$(aws configure get region || true)}"
[ -n "$REGION" ] || die "Cannot deploy: no region (set AWS_REGION)"
# The requests with the account and region filled in, beside the generated ones (never committed).
RESOLVED="$OUT.resolved"
rm -rf "$RESOLVED"
cp -r "$OUT" "$RESOLVED"
find "$RESOLVED" -type f -exec sed -i "s/\${AWS_ACCOUNT_ID}/$ACCOUNT/g; s/\${AWS_REGION}/$REGION/g" {} +
resolved() { echo "$RESOLVED/$1"; }

while read -r kind a b c d; do
  case "$kind" in
    role)
      aws iam get-role --role-name "$a" >/dev/null 2>&1 \
        || aws iam create-role --role-name "$a" --assume-role-policy-document "file://$(resolved "$b")" >/dev/null || exit 1
      aws iam put-role-policy --role-name "$a" --policy-name "$a" --policy-document "file://$(resolved "$c")" || exit 1
      echo "  role $a: ready" ;;
    artifacts)
      aws s3 cp "$JOBS_JAR" "$a/jars/shoplake-jobs.jar" || exit 1
      aws s3 cp "$REPO_ROOT/scripts/glue/placeholder.scala" "$a/glue/placeholder.scala" || exit 1 ;;
    job)
      if aws glue get-job --job-name "$b" >/dev/null 2>&1; then
        aws glue update-job --cli-input-json "file://$(resolved "$d")" >/dev/null || exit 1
        echo "  $a: updated $b"
      else
        aws glue create-job --cli-input-json "file://$(resolved "$c")" >/dev/null || exit 1
        echo "  $a: created $b"
      fi ;;
    topic)
      aws sns create-topic --cli-input-json "file://$(resolved "$b")" >/dev/null || exit 1
      echo "  topic $a: ready (subscribe the team to it)" ;;
    state-machine)
      ARN="arn:aws:states:$REGION:$ACCOUNT:stateMachine:$a"
      if aws stepfunctions describe-state-machine --state-machine-arn "$ARN" >/dev/null 2>&1; then
        aws stepfunctions update-state-machine --cli-input-json "file://$(resolved "$d")" >/dev/null || exit 1
        echo "  state machine $a: updated"
      else
        aws stepfunctions create-state-machine --cli-input-json "file://$(resolved "$c")" >/dev/null || exit 1
        echo "  state machine $a: created"
      fi ;;
    schedule)
      if aws scheduler get-schedule --name "$a" >/dev/null 2>&1; then
        aws scheduler update-schedule --cli-input-json "file://$(resolved "$b")" >/dev/null || exit 1
      else
        aws scheduler create-schedule --cli-input-json "file://$(resolved "$b")" >/dev/null || exit 1
      fi
      echo "  schedule $a: ready" ;;
    athena)
      # Athena runs a query asynchronously: wait for each DDL statement before the next.
      QID="$(aws athena start-query-execution --work-group "${ATHENA_WORKGROUP:-primary}" \
        --query-string "file://$(resolved "$a")" --query QueryExecutionId --output text)" || exit 1
      while :; do
        STATE="$(aws athena get-query-execution --query-execution-id "$QID" --query QueryExecution.Status.State --output text)"
        case "$STATE" in SUCCEEDED) break ;; FAILED|CANCELLED) echo "ERROR: $(listed "$a"): $STATE" >&2; exit 1 ;; esac
        sleep 1
      done
      echo "  athena: $(basename "$a")" ;;
    named-query)
      # Named queries have no update-by-name: create the ones whose name is not there yet.
      if [ -z "${NAMED_QUERIES+set}" ]; then
        IDS="$(aws athena list-named-queries --work-group "${ATHENA_WORKGROUP:-primary}" \
          --query 'NamedQueryIds' --output text)" || exit 1
        # batch-get-named-query takes at most 50 ids a call.
        NAMED_QUERIES="$(printf '%s\n' $IDS | { grep -v -e '^None$' -e '^$' || true; } \
          | xargs -r -n 50 aws athena batch-get-named-query --query 'NamedQueries[].Name' --output text \
              --named-query-ids | tr '\t' '\n')" || exit 1
      fi
      if printf '%s\n' "$NAMED_QUERIES" | grep -qx "$a"; then
        echo "  named query $a: already there (delete it to replace it)"
      else
        aws athena create-named-query --work-group "${ATHENA_WORKGROUP:-primary}" \
          --cli-input-json "file://$(resolved "$b")" >/dev/null || exit 1
        echo "  named query $a: created"
      fi ;;
  esac
done <<< "$PLAN"
echo "Deployed $ENV_NAME. Start a run: aws stepfunctions start-execution --state-machine-arn arn:aws:states:$REGION:$ACCOUNT:stateMachine:$ENV_NAME-shoplake-pipeline --input '{\"run_date\": \"YYYY-MM-DD\"}'"
