#!/usr/bin/env bash
# spark-submit for a SPARK_HOME that holds only jars/ (as scripts/lib.sh builds it with Maven).
# Does what Spark's bin/spark-class does: Spark's launcher library (org.apache.spark.launcher.Main)
# builds the final java command, with the driver memory and the Java 17 --add-opens flags, and this
# script runs it.
set -euo pipefail
: "${SPARK_HOME:?SPARK_HOME must point at a folder with jars/}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.12}"
JAVA_CMD="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# As bin/spark-class reads it: lines of messages, a NUL, then the command as NUL-separated words.
CMD=()
DELIM=$'\n'
STARTED=false
while IFS= read -d "$DELIM" -r ARG; do
  if [ "$STARTED" = true ]; then
    CMD+=("$ARG")
  elif [ -z "$ARG" ] && [ "$DELIM" = $'\n' ]; then
    DELIM=''
    STARTED=true
  elif [ -n "$ARG" ]; then
    echo "$ARG" >&2
  fi
done < <("$JAVA_CMD" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
  org.apache.spark.deploy.SparkSubmit "$@"; printf "%d\0" $?)

LAST=$((${#CMD[@]} - 1))
LAUNCHER_EXIT=${CMD[$LAST]}
if [ "$LAUNCHER_EXIT" != 0 ]; then
  exit "$LAUNCHER_EXIT"
fi
exec "${CMD[@]:0:$LAST}"
