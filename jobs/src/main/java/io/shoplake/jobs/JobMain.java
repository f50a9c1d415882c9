package io.shoplake.jobs;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.job.ErrorMessages;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.jobs.pipeline.LocalPipeline;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
    boolean pipeline = args[0].equals(LocalPipeline.NAME);
    Optional<LakeJob> job = JobCatalog.find(args[0]);
    if (!pipeline && job.isEmpty()) {
      System.err.println("ERROR: Cannot run job '" + args[0] + "': unknown; known jobs are " + JobCatalog.names());
      return JobOutcome.USAGE;
    }
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      return help(args[0], job, rest);
    }
    if (pipeline) {
      return new LocalPipeline(JobRunner.forProcess(), System.out, System.err).run(rest);
    }
    return JobRunner.forProcess().run(job.get(), rest).exitCode();
  }

  /**
   * {@code <job> --help}: the keys the job takes ({@code job} empty: the pipeline), on stdout, exit 0; nothing
   * runs. The options of some jobs come from the configuration (quality's datasets), loaded with the other
   * arguments given.
   */
  private static int help(String name, Optional<LakeJob> job, String[] rest) {
    LakeConfig config;
    try {
      config = ConfigLoader.load(JobArguments.parse(Arrays.stream(rest)
          .filter(a -> !a.equals("--help") && !a.equals("-h")).toArray(String[]::new)));
    } catch (UsageException e) {
      System.err.println("ERROR " + name + ": " + ErrorMessages.oneLine(e));
      return JobOutcome.USAGE;
    }
    List<JobOption> options = job.isPresent() ? job.get().options(config)
        : LocalPipeline.options(LocalPipeline.steps(config, true), config);
    System.out.println("usage: scripts/run-job.sh " + name + " [--key value ...]");
    System.out.println("  takes --" + String.join(", --", JobOption.knownKeys(options))
        + " (README, \"Arguments\", says what each does)");
    return JobOutcome.OK;
  }
}
