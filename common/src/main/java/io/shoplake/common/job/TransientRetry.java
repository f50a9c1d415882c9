package io.shoplake.common.job;

import io.shoplake.common.config.Backoff;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job again after a failure of kind transient ({@link JobOutcome#worthRetrying()}), with the
 * configured backoff, until it succeeds, fails for another reason or the attempts are spent. The one
 * rule for a pipeline step and for a job started on its own (a Glue job's main). Safe: a failed run
 * committed no state, so its rerun redoes exactly the same work.
 */
public final class TransientRetry {
  private static final Logger LOG = LoggerFactory.getLogger("io.shoplake.progress");

  private TransientRetry() {}

  /** The last outcome and how many attempts it took. */
  public record Result(JobOutcome outcome, int attempts) {}

  /**
   * Runs {@code attempt}; {@code policy} is asked for only when a retry is considered (a launch that
   * succeeds never loads it). {@code label} names the run in the log.
   */
  public static Result run(String label, Supplier<Backoff> policy, Supplier<JobOutcome> attempt) {
    JobOutcome outcome = attempt.get();
    int attempts = 1;
    Backoff backoff = null;
    while (outcome.worthRetrying()) {
      backoff = backoff == null ? policy.get() : backoff;
      if (attempts >= backoff.attempts()) {
        break;
      }
      Duration wait = backoff.backoff(attempts);
      attempts++;
      LOG.warn("{} failed for a transient reason ({}); attempt {} of {} in {} ms", label,
          outcome.manifest().get().getError(), attempts, backoff.attempts(), wait.toMillis());
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      outcome = attempt.get();
    }
    return new Result(outcome, attempts);
  }
}
