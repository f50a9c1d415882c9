package io.shoplake.common.job;

/**
 * A batch job: Source -> Transform -> Sink, run by {@link JobRunner}, which owns arguments, config,
 * session, run manifest and exit codes. The job returns what it did; it never calls System.exit.
 */
public interface LakeJob {
  /** The short name ({@code transactions}): used by run-job.sh, in _runs/ and _state/. */
  String name();

  /** True when the job hashes PII, so the key is resolved (and its absence reported) before Spark starts. */
  default boolean needsPiiKey() {
    return false;
  }

  /**
   * True when the job reads stg_core with {@code config}, so its connection settings are resolved (and
   * checked) before Spark starts.
   */
  default boolean needsStgCore(io.shoplake.common.config.LakeConfig config) {
    return false;
  }

  /**
   * False for a job that keeps its own record of the raw files it has seen (validate's registry): the
   * runner then commits no bookmark for it, which would only repeat that record.
   */
  default boolean keepsBookmark() {
    return true;
  }

  /**
   * The options this job reads beyond the common arguments, for {@code config}: checked before Spark
   * starts (a wrong value is a one-line error and exit 2).
   */
  default java.util.List<io.shoplake.common.config.JobOption> options(io.shoplake.common.config.LakeConfig config) {
    return java.util.List.of();
  }

  /**
   * The steps this job takes in the pipeline with {@code config}, as the data each needs, comes after
   * and produces ({@link FlowStep}); none for a job the pipeline does not run.
   */
  default java.util.List<FlowStep> flow(io.shoplake.common.config.LakeConfig config) {
    return java.util.List.of();
  }

  JobResult run(JobContext context);
}
