package io.shoplake.common.job;

/**
 * Thrown by a job that found the data failing an error-level check (quality), or refuses to build on
 * data that did (master-merge): the runner records {@link #result()}, when there is one, in the manifest
 * (so the figures are there to read) and fails the run with exit code 1. It is a verdict on the data, not a transient fault: rerunning without changing the data gives the
 * same answer, so the pipeline never retries it.
 */
public final class DataCheckFailure extends RuntimeException {
  private final transient JobResult result;

  /** @param result what the job did before it failed, or null */
  public DataCheckFailure(String message, JobResult result) {
    super(message);
    this.result = result;
  }

  public JobResult result() {
    return result;
  }
}
