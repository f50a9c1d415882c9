package io.shoplake.jobs.testing;

import io.shoplake.common.job.JobRunner;
import io.shoplake.common.testing.ChildRun;
import io.shoplake.jobs.pipeline.LocalPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pipeline in a process of its own, for the tests that kill it with {@code kill -9}:
 * {@code PipelineChildRun [--halt-after-output-of STEP] args...}; the halt stops the process dead right
 * after that step wrote its output and before the runner commits its state ({@link ChildRun}).
 */
public final class PipelineChildRun {
  private PipelineChildRun() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int at = rest.indexOf("--halt-after-output-of");
    String haltStep = at < 0 ? null : rest.get(at + 1);
    if (at >= 0) {
      rest.subList(at, at + 2).clear();
    }
    int code = new LocalPipeline(JobRunner.forProcess(), System.out, System.err).run(config ->
        LocalPipeline.steps(config).stream().map(step -> !step.name().equals(haltStep) ? step
            : step.withJob(ChildRun.haltingAfterOutput(step.job()))).toList(), rest.toArray(new String[0]));
    System.exit(code);
  }
}
