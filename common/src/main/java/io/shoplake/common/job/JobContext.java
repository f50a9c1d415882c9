package io.shoplake.common.job;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.jdbc.StgCoreConnection;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.pii.PiiKey;
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
   * Sizes this run's shuffles for the {@code inputBytes} it reads ({@link SparkSessions#sizeShuffles}); call
   * it before staging, as the count applies to plans built afterwards. Logs the count chosen.
   */
  public void sizeShuffles(long inputBytes) {
    int partitions = SparkSessions.sizeShuffles(spark, config, inputBytes);
    if (partitions > 0) {
      org.slf4j.LoggerFactory.getLogger("io.shoplake.progress").info("{}: {} shuffle partition(s) for {} bytes of input",
          jobName, partitions, inputBytes);
    }
  }

  /** {@link #sizeShuffles(long)} for the total size of {@code files}. */
  public void sizeShufflesFor(java.util.Collection<io.shoplake.common.lake.InputFile> files) {
    sizeShuffles(files.stream().mapToLong(io.shoplake.common.lake.InputFile::sizeBytes).sum());
  }

  /**
   * {@link #sizeShuffles(long)} for what {@code frames} read: the size of their files as Spark's plan
   * statistics know them from the listing made when they were created (no further IO).
   */
  public void sizeShufflesForReads(java.util.Collection<? extends org.apache.spark.sql.Dataset<?>> frames) {
    sizeShuffles(frames.stream().mapToLong(SparkSessions::fileBytes).sum());
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
