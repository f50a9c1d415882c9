package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final Retry retry = new Retry(3, Duration.ofMillis(2), Duration.ofMillis(5));

  @Test
  void connectionFailuresAreRetriedAndTheLastOneIsReportedWithTheAttempts() {
    AtomicInteger calls = new AtomicInteger();
    Retry.Exhausted e = assertThrows(Retry.Exhausted.class, () -> retry.run(() -> {
      calls.incrementAndGet();
      throw new SQLException("Communications link failure", "08S01");
    }));
    assertEquals(3, calls.get());
    assertEquals(3, e.attempts());
  }

  @Test
  void aFailureThatRetryingCannotFixIsThrownAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(SQLException.class, () -> retry.run(() -> {
      calls.incrementAndGet();
      throw new SQLException("Access denied for user 'reader'", "28000");
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void aSuccessAfterAFailureReturnsItsValue() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertEquals("ok", retry.run(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new SQLException("refused", null, new ConnectException("Connection refused"));
      }
      return "ok";
    }));
  }

  @Test
  void backoffDoublesUpToTheMaximumWithJitter() {
    Retry slow = new Retry(10, Duration.ofMillis(100), Duration.ofMillis(300));
    for (int i = 0; i < 50; i++) {
      long first = slow.backoff(1).toMillis();
      long third = slow.backoff(3).toMillis();
      assertTrue(first >= 50 && first <= 100, String.valueOf(first));
      assertTrue(third >= 150 && third <= 300, String.valueOf(third));
    }
    assertFalse(Retry.isTransient(new SQLException("syntax", "42000")));
  }
}
