package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  private static final LocalDateTime UP_TO = LocalDateTime.of(2025, 1, 3, 12, 0, 0);

  @Test
  void aFirstRunReadsEverythingUpToTheSnapshot() {
    assertEquals("(updated_at <= TIMESTAMP '2025-01-03 12:00:00.000000' OR updated_at IS NULL)",
        Watermark.changedUpTo(Optional.empty(), UP_TO, true));
  }

  @Test
  void laterRunsReadRowsAfterTheWatermarkWithTheIdAsTieBreaker() {
    Watermark w = new Watermark(LocalDateTime.of(2025, 1, 2, 8, 30, 0, 123_456_000), "42");
    assertEquals("(updated_at > TIMESTAMP '2025-01-02 08:30:00.123456' OR (updated_at = TIMESTAMP"
            + " '2025-01-02 08:30:00.123456' AND id > 42)) AND updated_at <= TIMESTAMP '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.of(w), UP_TO, true));
    assertEquals("(updated_at > TIMESTAMP '2025-01-02 08:30:00.123456' OR (updated_at = TIMESTAMP"
            + " '2025-01-02 08:30:00.123456' AND CONVERT(id USING utf8mb4) COLLATE utf8mb4_bin >"
            + " _utf8mb4 X'4330303030303432')) AND updated_at <= TIMESTAMP"
            + " '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.of(new Watermark(w.updatedAt(), "C0000042")), UP_TO, false));
  }

  @Test
  void anyTextIdIsWrittenAsTheHexOfItsBytesAndANumericIdAsANumber() {
    assertEquals("(updated_at > TIMESTAMP '2025-01-03 12:00:00.000000' OR (updated_at = TIMESTAMP"
            + " '2025-01-03 12:00:00.000000' AND CONVERT(id USING utf8mb4) COLLATE utf8mb4_bin >"
            + " _utf8mb4 X'3127204F52202731273D2731')) AND updated_at <="
            + " TIMESTAMP '2025-01-03 12:00:00.000000'",
        Watermark.changedUpTo(Optional.of(new Watermark(UP_TO, "1' OR '1'='1")), UP_TO, false));
    assertTrue(Watermark.changedUpTo(Optional.of(new Watermark(UP_TO, "Zo\u00eb.1@shop")), UP_TO, false)
        .endsWith("utf8mb4_bin > _utf8mb4 X'5A6FC3AB2E314073686F70')) AND updated_at <= TIMESTAMP"
            + " '2025-01-03 12:00:00.000000'"));
    // BIGINT UNSIGNED reaches 18446744073709551615, past a Java long.
    assertTrue(Watermark.changedUpTo(Optional.of(new Watermark(UP_TO, "18446744073709551615")), UP_TO, true)
        .contains("id > 18446744073709551615)"));
    assertThrows(NumberFormatException.class,
        () -> Watermark.changedUpTo(Optional.of(new Watermark(UP_TO, "1 OR 1=1")), UP_TO, true));
  }

  @Test
  void mysqlsTextOfADatetimeIsItsWallClockTime() {
    assertEquals(LocalDateTime.of(2025, 1, 2, 8, 30), Watermark.parseMysqlTime("2025-01-02 08:30:00"));
    assertEquals(LocalDateTime.of(2025, 1, 2, 8, 30, 0, 123_456_000),
        Watermark.parseMysqlTime("2025-01-02 08:30:00.123456"));
    assertEquals(LocalDateTime.of(2025, 1, 2, 0, 0), Watermark.parseMysqlTime("2025-01-02"));
  }
}
