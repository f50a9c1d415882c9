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

# Refuses a SPARK_DRIVER_MEMORY the JVM or Spark would refuse, in one line before anything starts: the JVM takes
# only a number with k, m, g or t ("4gb" fails it), and Spark refuses a heap under 450 MiB (512m is the least that
# starts, measured under both launch profiles' collectors).
check_driver_memory() {
  local memory="${SPARK_DRIVER_MEMORY:-4g}" mb
  [[ "$memory" =~ ^([1-9][0-9]*)([kKmMgGtT])$ ]] \
    || die "Cannot use SPARK_DRIVER_MEMORY='$memory': expected a size such as 4g or 4096m"
  case "${BASH_REMATCH[2]}" in # not ${x,,}: macOS's /bin/bash is 3.2
    k|K) mb=$((BASH_REMATCH[1] / 1024)) ;;
    m|M) mb=${BASH_REMATCH[1]} ;;
    g|G) mb=$((BASH_REMATCH[1] * 1024)) ;;
    t|T) mb=$((BASH_REMATCH[1] * 1024 * 1024)) ;;
  esac
  [ "$mb" -ge 512 ] || die "Cannot use SPARK_DRIVER_MEMORY='$memory': Spark needs at least 512m (default 4g)"
}

# Sets SUBMIT_PROFILE to the spark-submit options every launch of a job or bench class shares: the master,
# driver memory, logging, and the launch profile's options. SPARK_DRIVER_JAVA_OPTIONS come after the
# profile's JVM options (the JVM takes the last of two), SPARK_SUBMIT_EXTRA is the caller's.
submit_profile() {
  check_driver_memory
  # Paths in double quotes: Spark's launcher splits extraJavaOptions at spaces outside quotes, and a clone's path
  # may hold one ("/home/ann/My Projects/shoplake"). The log4j path is a plain path, not a file: URI, which a
  # space would make invalid.
  local java_options="-Dlog4j2.configurationFile=\"$REPO_ROOT/scripts/log4j2.properties\""
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
  CLASS_ARCHIVE_RECORDING=""
  class_archive_path
  if [ -n "$CLASS_ARCHIVE" ] && [ -f "$CLASS_ARCHIVE" ] && class_archive_check; then
    java_options="$java_options -XX:SharedArchiveFile=\"$CLASS_ARCHIVE\""
  elif [ -n "$CLASS_ARCHIVE" ] && [ ! -e "$CLASS_ARCHIVE.failed" ] && class_archive_room; then
    # Recordings left by launches killed with their shell (kill -9 of the process group): the shell's pid is
    # in the name, and a recording whose shell is gone will never be kept.
    local left
    for left in "$CLASS_ARCHIVE_DIR"/recording-*.jsa; do
      [ -e "$left" ] || continue
      left="${left##*/recording-}"
      kill -0 "${left%%-*}" 2>/dev/null || rm -f "$CLASS_ARCHIVE_DIR/recording-$left"
    done
    CLASS_ARCHIVE_RECORDING="$CLASS_ARCHIVE_DIR/recording-$$-$RANDOM.jsa"
    # -Xlog:cds=off: the dump at exit warns once per class it cannot archive (over a thousand lines).
    java_options="$java_options -XX:ArchiveClassesAtExit=\"$CLASS_ARCHIVE_RECORDING\" -Xlog:cds=off"
    echo "Recording the driver's class archive for later launches (first launch with these jars and this JVM; $CLASS_ARCHIVE_DIR) ..." >&2
  fi
  SUBMIT_PROFILE+=(--conf "spark.driver.extraJavaOptions=$java_options ${SPARK_DRIVER_JAVA_OPTIONS:-}")
}

# Class data sharing for the driver (JDK 17's dynamic AppCDS archive). A cold driver loads and links
# about 15,000 classes before and while it plans the first queries; mapping them from an archive instead
# took the sample pipeline from 15.5 to 13.6 s (mean of 3 alternating pairs, docs/BENCHMARKS.md). The first
# launch that finds no archive records one at its exit (about 11 s more, once: the JVM dumps about 140 MB);
# every later launch maps it. The JVM checks the archive against its own build and Spark's jars (both in
# the key below, so a new JDK or a new jar set records a new archive); our jar is loaded by Spark's own
# class loader, and the JVM takes an archived class of it only when the class file is unchanged, so a
# rebuild of our jar needs no new archive. Only for the Spark jars this project fetches and the class path
# spark-submit makes of them (a SPARK_HOME's conf/ folder, or a folder the caller adds, on the class path
# stops the JVM from archiving), and not on the launch profile none (the benchmark's floors: Spark as anyone
# runs it). SHOPLAKE_CLASS_ARCHIVE=off turns it off; deleting .cache/class-archive records it again.
CLASS_ARCHIVE_DIR="$REPO_ROOT/.cache/class-archive"

# Sets CLASS_ARCHIVE to the archive for this JVM, Spark's jars and the driver memory (the heap size decides
# the JVM's compressed pointers, which the archive fixes), or to "" when class sharing does not apply.
class_archive_path() {
  CLASS_ARCHIVE=""
  case "${SHOPLAKE_CLASS_ARCHIVE:-on}" in
    on) ;;
    off) return ;;
    *) die "SHOPLAKE_CLASS_ARCHIVE must be on or off, not '$SHOPLAKE_CLASS_ARCHIVE'" ;;
  esac
  [ "${SHOPLAKE_LAUNCH_PROFILE:-batch}" != none ] && [ "${SPARK_HOME:-}" = "$LOCAL_SPARK_HOME" ] || return 0
  # A class path of the caller's own would not match the recorded one (and a folder on it stops a recording);
  # driver JVM options of the caller's own through spark-submit replace ours, the archive's with them.
  case "${SPARK_SUBMIT_EXTRA:-}" in
    *driver-class-path*|*extraClassPath*|*driver-java-options*|*extraJavaOptions*) return 0 ;;
  esac
  # Class sharing the caller set up (or turned off) is theirs to decide. And a JVMTI agent or a flight
  # recording started with the JVM hooks every class load: on JDK 17.0.15, -XX:StartFlightRecording with a
  # dynamic archive crashed the JVM on the first class it took from the archive (SIGSEGV in
  # KlassFactory::check_shared_class_file_load_hook); a recording started later with jcmd did not.
  case "${SPARK_DRIVER_JAVA_OPTIONS:-} ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-}" in
    *Xshare*|*Archive*|*StartFlightRecording*|*javaagent*|*agentlib*|*agentpath*|*-Xrun*) return 0 ;;
  esac
  local java_bin jdk key
  java_bin="$(readlink -f "$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")")" || return 0
  jdk="$(dirname "$(dirname "$java_bin")")"
  # A recording extends the JDK's own base archive; a JVM without one would not even start with the option.
  [ -f "$jdk/lib/server/classes.jsa" ] || return 0
  # The jars by name, size and time only: not `ls -l`, whose "total" line counts allocated blocks, the one
  # part of it that can change while the jars do not (a fresh clone recorded twice, under two keys).
  key="$({ echo "$java_bin"; cat "$jdk/release" 2>/dev/null
    find "$SPARK_HOME/jars" -maxdepth 1 -name '*.jar' -printf '%f %s %T@\n' | LC_ALL=C sort
    echo "${SPARK_DRIVER_MEMORY:-4g}"; } | sha256sum | cut -c1-16)"
  CLASS_ARCHIVE="$CLASS_ARCHIVE_DIR/driver-$key.jsa"
  CLASS_ARCHIVE_JAVA="$java_bin"
}

# Before an archive's first use, maps it once in a bare JVM (about 0.3 s) and keeps a marker beside it when that
# works. Why: a JVM given an archive cut short does not fall back to running without it, it dies at start
# (SIGBUS in FileMapInfo::relocate_pointers_in_core_regions on JDK 17.0.15, exit 134), and every later launch
# would die the same way. A recording is kept only when its JVM ended by itself, but one cut short by a full
# disk, or an archive copied in part, would be such a file. A damaged archive is removed, with a line that says
# so, and this launch records a new one as on a first run. False when it was removed.
class_archive_check() {
  [ -e "$CLASS_ARCHIVE.checked" ] && return 0
  if "$CLASS_ARCHIVE_JAVA" -Xmx"${SPARK_DRIVER_MEMORY:-4g}" -XX:SharedArchiveFile="$CLASS_ARCHIVE" -Xshare:auto \
      -XX:ErrorFile=/dev/null -XX:-CreateCoredumpOnCrash -version > /dev/null 2>&1; then
    touch "$CLASS_ARCHIVE.checked" 2>/dev/null || true
  else
    echo "The driver's class archive $CLASS_ARCHIVE does not load (a recording cut short, or a partial copy):" \
      "removed; this launch records a new one as on a first run" >&2
    rm -f "$CLASS_ARCHIVE" "$CLASS_ARCHIVE.checked"
    return 1
  fi
}

# True when the archive's folder takes a recording: a recording is about 150 MB, and a JVM that cannot write
# it at exit ends with status 1 whatever its job did (tested on a full file system: "Unable to write to shared
# archive file"), so less than 1 GB free skips it, with a line that says so.
class_archive_room() {
  local free_kb
  mkdir -p "$CLASS_ARCHIVE_DIR" 2>/dev/null && [ -w "$CLASS_ARCHIVE_DIR" ] || return 1
  free_kb="$(df -Pk "$CLASS_ARCHIVE_DIR" 2>/dev/null | awk 'NR == 2 {print $4}')"
  if [ "${free_kb:-0}" -lt 1048576 ]; then
    echo "Not recording the driver's class archive: less than 1 GB free in $CLASS_ARCHIVE_DIR" >&2
    return 1
  fi
}

# Runs "$@", a launch with submit_profile's options. When that launch recorded the class archive, keeps the
# recording as the archive if the JVM ended by itself (whatever the job's exit code), drops it if the JVM was
# killed (the dump may be cut short), and marks a JVM that ended without writing one, so later launches do
# not try again. Returns the launch's exit code.
run_submit() {
  [ -n "${CLASS_ARCHIVE_RECORDING:-}" ] || { "$@"; return; }
  local status=0
  "$@" || status=$?
  if [ "$status" -ge 128 ]; then
    rm -f "$CLASS_ARCHIVE_RECORDING"
  elif [ -s "$CLASS_ARCHIVE_RECORDING" ]; then
    rm -f "$CLASS_ARCHIVE.checked"
    mv -f "$CLASS_ARCHIVE_RECORDING" "$CLASS_ARCHIVE"
  else
    rm -f "$CLASS_ARCHIVE_RECORDING"
    echo "The JVM wrote no class archive (exit status $status; when the job's own lines say it succeeded, that" \
      "status is the failed recording's); launches run without one (remove $CLASS_ARCHIVE.failed to try again)" >&2
    touch "$CLASS_ARCHIVE.failed"
  fi
  return "$status"
}

die() { echo "ERROR: $*" >&2; exit 2; }

# -h or --help among the arguments: prints the calling script's header comment (its usage, options, environment
# and exit codes, written once there) and exits 0, before the script fetches, builds or starts anything.
# Scripts call it with their own arguments; run-job.sh with its first only (the rest are the job's).
exit_on_help() {
  local arg
  for arg in "$@"; do
    if [ "$arg" = -h ] || [ "$arg" = --help ]; then
      print_header "${BASH_SOURCE[1]}"
      exit 0
    fi
  done
}

# A script's header comment, the lines after its #! line up to its first line of code, without the "# ".
print_header() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"
}

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

# Java 17 names files in the locale's character set: under LANG=C or POSIX (a container, cron, ssh without
# locale forwarding) it cannot even list a raw file named résumé.csv, and validate fails. A local run takes a
# UTF-8 locale when the caller's is not one; the data itself is read as UTF-8 whatever the locale.
if [ "$(locale charmap 2>/dev/null)" != "UTF-8" ]; then
  for utf8_locale in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
    if locale -a 2>/dev/null | grep -qx "$utf8_locale"; then
      export LC_ALL="$utf8_locale"
      break
    fi
  done
fi

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
