package io.shoplake.jobs;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.jobs.pipeline.LocalPipeline;
import java.util.Arrays;

/**
 * Runs a job, or the local pipeline ({@code pipeline}), by its short name: {@code JobMain <job> [--key value ...]}. Used by
 * scripts/run-job.sh; on AWS Glue each job has its own main class instead (Glue passes no positional
 * argument). Exit codes: 0 succeeded, 1 failed, 2 wrong argument or configuration.
 */
public final class JobMain {
  private JobMain() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != JobOutcome.OK) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      System.err.println("ERROR: Cannot run a job: name one first (" + JobCatalog.names() + ")");
      return JobOutcome.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals(LocalPipeline.NAME)) {
      return new LocalPipeline(JobRunner.forProcess(), System.out, System.err).run(rest);
    }
    LakeJob job = JobCatalog.find(args[0]).orElse(null);
    if (job == null) {
      System.err.println("ERROR: Cannot run job '" + args[0] + "': unknown; known jobs are " + JobCatalog.names());
      return JobOutcome.USAGE;
    }
    return JobRunner.forProcess().run(job, rest).exitCode();
  }
}
