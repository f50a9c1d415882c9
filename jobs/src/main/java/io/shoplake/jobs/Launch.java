package io.shoplake.jobs;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;

/**
 * What every job main class does: run the job with the process environment and exit non-zero only on
 * failure (1) or a usage error (2), so a successful Glue run ends normally.
 */
final class Launch {
  private Launch() {}

  static void run(LakeJob job, String[] args) {
    int code = JobRunner.forProcess().run(job, args).exitCode();
    if (code != JobOutcome.OK) {
      System.exit(code);
    }
  }
}
