package io.shoplake.common.testing;

import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.transactions.TransactionEtl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A job in a process of its own, as {@code spark-submit} would start it, for the tests that kill a run
 * with {@code kill -9}: {@code ChildRun transactions [--halt-after-output] args...} (the jobs module's
 * {@code PipelineChildRun} does the same for the pipeline). The halt stops the process dead (no shutdown
 * hooks, as a kill) right after the job wrote its output and before the runner commits its state: the
 * one moment a signal from outside cannot be timed to hit.
 */
public final class ChildRun {
  private ChildRun() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    boolean halt = rest.remove("--halt-after-output");
    int code;
    LakeJob job = switch (args[0]) {
      case "transactions" -> new TransactionEtl();
      default -> throw new IllegalArgumentException("no such job here: " + args[0]);
    };
    code = JobRunner.forProcess().run(halt ? haltingAfterOutput(job) : job, rest.toArray(new String[0])).exitCode();
    System.exit(code);
  }

  /** {@code job}, halting the process right after its output, before the state commit. */
  public static LakeJob haltingAfterOutput(LakeJob job) {
    return new LakeJob() {
      @Override
      public String name() {
        return job.name();
      }

      @Override
      public boolean needsPiiKey() {
        return job.needsPiiKey();
      }

      @Override
      public boolean needsStgCore(io.shoplake.common.config.LakeConfig config) {
        return job.needsStgCore(config);
      }

      @Override
      public boolean keepsBookmark() {
        return job.keepsBookmark();
      }

      @Override
      public JobResult run(JobContext context) {
        job.run(context);
        System.err.println("halting after the output, before the state commit");
        Runtime.getRuntime().halt(137);
        throw new IllegalStateException("unreachable");
      }
    };
  }
}
