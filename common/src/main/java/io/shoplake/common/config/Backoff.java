package io.shoplake.common.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently something is tried again: {@code attempts} in all, attempt k waiting
 * between half and all of min(max, initial x 2^(k-1)) after it failed (exponential backoff with jitter).
 * The configuration of the stg_core calls ({@code shoplake.stg-core.retry-*}) and of a job or pipeline
 * step that failed for a transient reason ({@code shoplake.pipeline.retry-*}).
 *
 * @param attempts total attempts, at least 1
 * @param initialBackoff wait before the second attempt (before jitter)
 * @param maxBackoff the longest wait
 */
public record Backoff(int attempts, Duration initialBackoff, Duration maxBackoff) {
  /** The wait after failed attempt {@code attempt} (1-based), jitter included. */
  public Duration backoff(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 30));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }
}
