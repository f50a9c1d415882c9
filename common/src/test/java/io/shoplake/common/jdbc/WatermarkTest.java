package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  private static final LocalDateTime UP_TO = LocalDateTime.of(2025, 1, 3, 12, 0, 0);

  @Test
  void aFirstRunReadsEverythingUpToTheSnapshot() {
    assertEquals("updated_at <= TIMESTAMP '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.empty(), UP_TO, true));
  }

  @Test
  void laterRunsReadRowsAfterTheWatermarkWithTheIdAsTieBreaker() {
    Watermark w = new Watermark(LocalDateTime.of(2025, 1, 2, 8, 30, 0, 123_456_000), "42");
    assertEquals("(updated_at > TIMESTAMP '2025-01-02 08:30:00.123456' OR (updated_at = TIMESTAMP"
            + " '2025-01-02 08:30:00.123456' AND id > 42)) AND updated_at <= TIMESTAMP '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.of(w), UP_TO, true));
    assertEquals("(updated_at > TIMESTAMP '2025-01-02 08:30:00.123456' OR (updated_at = TIMESTAMP"
            + " '2025-01-02 08:30:00.123456' AND id > 'C0000042')) AND updated_at <= TIMESTAMP '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.of(new Watermark(w.updatedAt(), "C0000042")), UP_TO, false));
  }

  @Test
  void anIdThatCouldBreakOutOfTheLiteralIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Watermark(UP_TO, "1' OR '1'='1"));
    assertThrows(NumberFormatException.class,
        () -> Watermark.changedUpTo(Optional.of(new Watermark(UP_TO, "abc")), UP_TO, true));
  }

  @Test
  void theConnectionComesFromTheEnvironmentFirstAndNeverShowsThePassword() {
    LakeConfig.StgCore config = new LakeConfig.StgCore("jdbc:mysql://db.internal:3306/stg_core", "reader", "",
        List.of("orders"), List.of(), 4, 1000, new Retry(1, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1)));
    StgCoreConnection c = StgCoreConnection.resolve(config, Map.of(
        "STG_CORE_JDBC_URL", "jdbc:mysql://127.0.0.1:3307/stg_core?password=hunter2&useSSL=false",
        "STG_CORE_PASSWORD", "s3cret"), id -> { throw new AssertionError("no secret expected"); });
    assertEquals("reader", c.user());
    assertEquals("s3cret", c.password());
    assertEquals("jdbc:mysql://127.0.0.1:3307/stg_core?password=***&useSSL=false", c.maskedUrl());
    assertEquals(false, c.toString().contains("s3cret") || c.toString().contains("hunter2"));
    UsageException missing = assertThrows(UsageException.class, () -> StgCoreConnection.resolve(config, Map.of(),
        id -> { throw new AssertionError(); }));
    assertEquals("Cannot connect to stg_core: no password (set STG_CORE_PASSWORD or"
        + " shoplake.stg-core.password-secret-id)", missing.getMessage());
  }
}
