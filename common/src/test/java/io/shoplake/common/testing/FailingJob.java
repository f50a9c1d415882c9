package io.shoplake.common.testing;

import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A job that fails with {@code failure} on its first {@code failures} runs, then succeeds with nothing to do. */
public final class FailingJob implements LakeJob {
  private final String name;
  private final int failures;
  private final RuntimeException failure;
  private final AtomicInteger runs = new AtomicInteger();

  public FailingJob(String name, int failures, RuntimeException failure) {
    this.name = name;
    this.failures = failures;
    this.failure = failure;
  }

  /** How many times it was run. */
  public int runs() {
    return runs.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public JobResult run(JobContext context) {
    if (runs.incrementAndGet() <= failures) {
      throw failure;
    }
    return JobResult.nothingToDo(Map.of(), List.of());
  }
}
