package io.shoplake.jobs;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.TransientRetry;

/**
 * What every job main class does: run the job with the process environment and exit non-zero only on
 * failure (1) or a usage error (2), so a successful Glue run ends normally.
 *
 * <p>A run that failed for a transient reason is run again in the same process, with the pipeline's
 * backoff ({@code shoplake.pipeline.retry-*}, {@link TransientRetry}): this is the one retry layer of a
 * Glue job. Only here is the cause known; the state machine sees just "the job run failed", and Glue's
 * MaxRetries is 0.
 */
final class Launch {
  private Launch() {}

  static void run(LakeJob job, String[] args) {
    int code = runRetrying(JobRunner.forProcess(), job, args);
    if (code != JobOutcome.OK) {
      System.exit(code);
    }
  }

  /** Runs {@code job}, again after a transient failure while the configured attempts last; the exit code. */
  static int runRetrying(JobRunner runner, LakeJob job, String[] args) {
    // The configuration is loaded only for a retry: the first run already checked the arguments.
    return TransientRetry.run(job.name(), () -> ConfigLoader.load(JobArguments.parse(args)).pipelineRetry(),
        () -> runner.run(job, args)).outcome().exitCode();
  }
}
