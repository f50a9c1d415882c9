# Shared helpers of the scripts in this folder; sourced, not run.
# Everything a fresh machine needs (the jar, Spark's jars) is built or fetched by Maven on first use.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS_JAR="$REPO_ROOT/jobs/target/shoplake-jobs.jar"
SPARK_VERSION="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n1)"
LOCAL_SPARK_HOME="$REPO_ROOT/.cache/spark-$SPARK_VERSION"
# Launch profiles of a local run, chosen by SHOPLAKE_LAUNCH_PROFILE (scripts/run-local.sh picks small or batch
# by the raw zone's size and says why; docs/BENCHMARKS.md has the measurements):
# - small: the client compiler only and the serial collector, 2 MiB Tungsten pages (a raw zone under 32 MiB);
# - batch (the default): the parallel collector; on two cores the task threads used 11-12% less CPU than
#   under G1 (no G1 write barriers, no humongous allocations of Spark's large buffers, no concurrent marking
#   beside them) and the 188 MB pipeline ran in 12% less time; a batch job has no pause target to meet;
# - none: the JVM's and Spark's defaults (the benchmark's floors: Spark as anyone runs it).
# Driver options only: in local mode the driver runs the tasks; a cluster's executors and Glue keep theirs.
SMALL_INPUT_JAVA_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
SMALL_INPUT_SPARK_CONF=(--conf spark.buffer.pageSize=2m)
BATCH_JAVA_OPTIONS="-XX:+UseParallelGC"

# Sets SUBMIT_PROFILE to the spark-submit options every launch of a job or bench class shares: the master,
# driver memory, logging, and the launch profile's options. SPARK_DRIVER_JAVA_OPTIONS come after the
# profile's JVM options (the JVM takes the last of two), SPARK_SUBMIT_EXTRA is the caller's.
submit_profile() {
  local java_options="-Dlog4j2.configurationFile=file:$REPO_ROOT/scripts/log4j2.properties"
  SUBMIT_PROFILE=(--master "${SPARK_MASTER:-local[*]}" --driver-memory "${SPARK_DRIVER_MEMORY:-4g}"
    --conf spark.ui.enabled=false --conf spark.driver.host="$SPARK_LOCAL_IP")
  case "${SHOPLAKE_LAUNCH_PROFILE:-batch}" in
    small)
      java_options="$java_options $SMALL_INPUT_JAVA_OPTIONS"
      SUBMIT_PROFILE+=("${SMALL_INPUT_SPARK_CONF[@]}") ;;
    batch) java_options="$java_options $BATCH_JAVA_OPTIONS" ;;
    none) ;;
    *) die "SHOPLAKE_LAUNCH_PROFILE must be small, batch or none, not '$SHOPLAKE_LAUNCH_PROFILE'" ;;
  esac
  SUBMIT_PROFILE+=(--conf "spark.driver.extraJavaOptions=$java_options ${SPARK_DRIVER_JAVA_OPTIONS:-}")
}

die() { echo "ERROR: $*" >&2; exit 2; }

# Builds the shaded jar when it is missing or older than the sources.
ensure_jar() {
  if [ -f "$JOBS_JAR" ] && [ -z "$(find "$REPO_ROOT/common/src/main" "$REPO_ROOT/jobs/src/main" "$REPO_ROOT/conf" \
        "$REPO_ROOT/pom.xml" -newer "$JOBS_JAR" -type f -print -quit 2>/dev/null)" ]; then
    return
  fi
  echo "Building $JOBS_JAR (mvn package, tests skipped) ..." >&2
  local log
  log="$(mktemp)"
  if ! (cd "$REPO_ROOT" && mvn -q -B -DskipTests package) >"$log" 2>&1; then
    cat "$log" >&2
    die "Cannot build the jobs jar: mvn package failed (output above)"
  fi
  rm -f "$log"
}

# Sets SPARK_SUBMIT to a spark-submit command: $SPARK_HOME's when set, else Spark's own SparkSubmit
# from Maven-resolved jars in .cache/spark-<version>/jars (a SPARK_HOME that holds only jars/ is enough).
ensure_spark() {
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    SPARK_SUBMIT=("$SPARK_HOME/bin/spark-submit")
    return
  fi
  # The jar set follows the poms (Spark's version, hadoop-aws and its SDK): a pom change fetches it again.
  local wanted
  wanted="$(cat "$REPO_ROOT/pom.xml" "$REPO_ROOT/common/pom.xml" "$REPO_ROOT/jobs/pom.xml" | sha256sum | cut -c1-16)"
  if [ "$(cat "$LOCAL_SPARK_HOME/jars/.complete" 2>/dev/null)" != "$wanted" ]; then
    echo "Fetching Spark $SPARK_VERSION jars with Maven into $LOCAL_SPARK_HOME/jars (first run only) ..." >&2
    rm -rf "$LOCAL_SPARK_HOME/jars"
    local log
    log="$(mktemp)"
    if ! (cd "$REPO_ROOT" && mvn -q -B -pl jobs -am -DskipTests install && \
      mvn -q -B -pl jobs dependency:copy-dependencies -DincludeScope=provided \
        -DoutputDirectory="$LOCAL_SPARK_HOME/jars") >"$log" 2>&1; then
      cat "$log" >&2
      die "Cannot fetch Spark's jars with Maven (output above)"
    fi
    rm -f "$log"
    echo "$wanted" > "$LOCAL_SPARK_HOME/jars/.complete"
  fi
  export SPARK_HOME="$LOCAL_SPARK_HOME"
  SPARK_SUBMIT=("$REPO_ROOT/scripts/spark-submit.sh")
}

# Environment of a local run: the host name here may not resolve, and Spark's launcher needs the
# Scala version when it is not run from a Spark distribution.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.12}"

# Builds common's test classes (the lake digest, io.shoplake.common.testing.LakeDigest) into WORK_DIR and
# defines lake_digest LAKE_DIR, which prints the lake's order-free digest. Used by kill-loop.sh and
# lake-digest.sh.
prepare_lake_digest() {
  local work="$1"
  mkdir -p "$work"
  echo "Compiling the lake digest (common's test classes) ..." >&2
  (cd "$REPO_ROOT" && mvn -q -B -pl common -am -DskipTests install && \
    mvn -q -B -pl common test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/digest.classpath") > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "Cannot build the lake digest (output above)"; }
  DIGEST_WORK="$work"
  DIGEST_CP="$REPO_ROOT/common/target/test-classes:$REPO_ROOT/common/target/classes:$(cat "$work/digest.classpath")"
  DIGEST_OPENS=()
  local p
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
      sun.nio.ch sun.util.calendar; do
    DIGEST_OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
  done
}

lake_digest() { # lake folder -> its digest on stdout
  java -Xmx2g "${DIGEST_OPENS[@]}" -cp "$DIGEST_CP" io.shoplake.common.testing.LakeDigest "$1" \
    2> "$DIGEST_WORK/digest.log" || { cat "$DIGEST_WORK/digest.log" >&2; die "Cannot digest $1 (output above)"; }
}
