package io.shoplake.common.job;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.jdbc.StgCoreConnection;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.pii.PiiKey;
import io.shoplake.common.spark.GeneratedCodeJit;
import io.shoplake.common.spark.ProgressListener;
import io.shoplake.common.spark.SparkSessions;
import io.shoplake.common.state.PendingState;
import io.shoplake.common.state.StateCommit;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Everything a job receives from its launcher: the session, the validated config and arguments,
 * its run id, the lake's paths and its bookmark (which raw files it already processed; the runner
 * commits it after the job returns), and the state its parts want kept once the run succeeds. A job reads nothing else from its environment.
 */
public record JobContext(
    SparkSession spark,
    LakeConfig config,
    JobArguments args,
    String jobName,
    String runId,
    Instant startedAt,
    LakePaths paths,
    Optional<PiiKey> piiKey,
    Optional<StgCoreConnection> stgCore,
    FileBookmark bookmark,
    PendingState pending) {

  /**
   * Has the runner commit {@code commit} with the job's own state once the run succeeds (never before the
   * outputs are in); for state a shared part of a job produces, such as the file checks' verdicts.
   */
  public void keepOnSuccess(StateCommit commit) {
    pending.add(commit);
  }

  /**
   * Names the stage the job is in: logged at INFO and set as the description of the Spark jobs that
   * follow, so a long run shows which job and which stage it is in (see
   * {@link ProgressListener}) rather than silence.
   */
  public void stage(String description) {
    org.slf4j.LoggerFactory.getLogger("io.shoplake.progress").info("{}: {}", jobName, description);
    spark.sparkContext().setJobDescription(jobName + ": " + description);
  }

  /**
   * How many times more rows a byte of the lake's Parquet holds than a byte of the raw CSV or JSON the
   * code-generation threshold was measured on, at most: clickstream events 9x (182 MB of raw JSON lines
   * made 20 MB of Parquet at 100k transactions), transactions 1.6x. A Parquet read counts this many times
   * its size against the threshold, so a large table measured or merged is never interpreted (the quality
   * job spent 8 s instead of 2 s on 568,000 events of 20 MB interpreted); tiny ones still are.
   */
  static final long PARQUET_ROWS_PER_RAW_BYTE = 10;

  /**
   * Fits the session to the raw files this run reads, of {@code files}' total size: its shuffle partitions
   * ({@link SparkSessions#sizeShuffles}), for a small input no code generation
   * ({@link SparkSessions#interpretSmallInput}), and for a not much larger one no C2 for the generated code
   * ({@link GeneratedCodeJit}; not asked for an interpreted run, which generates none). Call it before
   * staging: all three apply to what is planned and compiled afterwards. Logs what it chose.
   *
   * @return whether the run is interpreted: a small input
   */
  public boolean fitToInputFiles(java.util.Collection<io.shoplake.common.lake.InputFile> files) {
    long bytes = io.shoplake.common.lake.InputFile.totalBytes(files);
    return fitToInput(bytes, bytes);
  }

  /**
   * {@link #fitToInputFiles} for the lake's Parquet that {@code frames} read: the size of their files as
   * Spark's plan statistics know them from the listing made when they were created (no further IO), which
   * counts {@link #PARQUET_ROWS_PER_RAW_BYTE} times against the code-generation threshold.
   *
   * @return whether the run is interpreted: a small input
   */
  public boolean fitToInputReads(java.util.Collection<? extends org.apache.spark.sql.Dataset<?>> frames) {
    long bytes = frames.stream().mapToLong(SparkSessions::fileBytes).sum();
    return fitToInput(bytes, bytes * PARQUET_ROWS_PER_RAW_BYTE);
  }

  private boolean fitToInput(long inputBytes, long rawEquivalentBytes) {
    int partitions = SparkSessions.sizeShuffles(spark, config, inputBytes);
    boolean interpreted = SparkSessions.interpretSmallInput(spark, config, rawEquivalentBytes);
    // An interpreted run generates no code to keep C2 off.
    boolean c1Only = GeneratedCodeJit.c1Only(!interpreted
        && SparkSessions.underThreshold(config.c2MinInputBytes(), rawEquivalentBytes));
    if (partitions > 0 || interpreted || c1Only) {
      org.slf4j.LoggerFactory.getLogger("io.shoplake.progress").info("{}: {} bytes of input: {}{}", jobName,
          inputBytes, partitions > 0 ? partitions + " shuffle partition(s)" : "shuffle partitions as configured",
          interpreted ? ", plans interpreted (no code generation)"
              : c1Only ? ", C2 kept off the generated row loops" : "");
    }
    return interpreted;
  }

  /** The stg_core connection; only jobs that declare {@link LakeJob#needsStgCore} get one. */
  public StgCoreConnection requireStgCore() {
    return stgCore.orElseThrow(() -> new IllegalStateException(
        "Cannot connect to stg_core in job " + jobName + ": the job did not declare needsStgCore"));
  }

  /** The PII key; only jobs that declare {@link LakeJob#needsPiiKey()} get one. */
  public PiiKey requirePiiKey() {
    return piiKey.orElseThrow(() -> new IllegalStateException(
        "Cannot hash PII in job " + jobName + ": the job did not declare needsPiiKey()"));
  }
}
