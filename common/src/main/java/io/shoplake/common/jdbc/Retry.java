package io.shoplake.common.jdbc;

import io.shoplake.common.config.Backoff;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * Retries a JDBC call that failed for a transient reason (connection refused or lost, timeout) with
 * exponential backoff and jitter ({@link Backoff}). A failure that retrying cannot fix (wrong password,
 * unknown table, SQL error) is thrown at once.
 *
 * @param attempts total attempts, at least 1
 * @param initialBackoff wait before the second attempt (before jitter)
 * @param maxBackoff the longest wait
 */
public record Retry(int attempts, Duration initialBackoff, Duration maxBackoff) {
  /** A JDBC call. */
  public interface Call<T> {
    T run() throws SQLException;
  }

  /** The last failure after every attempt, with how many were made. */
  public static final class Exhausted extends Exception {
    private final int attempts;

    Exhausted(int attempts, SQLException last) {
      super(last.getMessage(), last);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }
  }

  public <T> T run(Call<T> call) throws SQLException, Exhausted {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (SQLException e) {
        if (!isTransient(e)) {
          throw e;
        }
        if (attempt >= attempts) {
          throw new Exhausted(attempt, e);
        }
        sleep(backoff(attempt));
      }
    }
  }

  /** The retry of JDBC calls configured by {@code policy}. */
  public static Retry of(Backoff policy) {
    return new Retry(policy.attempts(), policy.initialBackoff(), policy.maxBackoff());
  }

  /** The wait after failed attempt {@code attempt} (1-based), jitter included. */
  public Duration backoff(int attempt) {
    return new Backoff(attempts, initialBackoff, maxBackoff).backoff(attempt);
  }

  /** Connection failures (SQLState class 08), timeouts, and refused or timed-out sockets underneath. */
  static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      return true;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration duration) throws SQLException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to retry", e);
    }
  }
}
