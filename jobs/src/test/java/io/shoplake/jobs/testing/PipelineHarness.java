package io.shoplake.jobs.testing;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.jobs.pipeline.LocalPipeline;
import io.shoplake.jobs.pipeline.PipelineStep;
import java.util.List;
import java.util.function.Function;

/** Runs the pipeline as {@link JobHarness} runs a job: on its lake, with its environment and captured output. */
public final class PipelineHarness {
  private PipelineHarness() {}

  public static int run(JobHarness jobs, String... args) {
    JobHarness.Runner r = jobs.runner(args);
    return new LocalPipeline(r.runner(), r.out(), r.err()).run(r.args());
  }

  /** Runs the pipeline with its steps replaced by {@code steps}. */
  public static int run(JobHarness jobs, Function<LakeConfig, List<PipelineStep>> steps, String... args) {
    JobHarness.Runner r = jobs.runner(args);
    return new LocalPipeline(r.runner(), r.out(), r.err()).run(steps, r.args());
  }
}
