package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The row accounting, counted by Spark and on the driver: both must agree to the row. */
class RowCountsTest {
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> classified() {
    return spark.sql("select * from values"
        + " (null, null, '2025-01-01', 'a.csv', 2025, 1, 1),"
        + " (null, null, '2025-01-01', 'a.csv', 2025, 1, 1),"
        + " (null, null, '2025-01-02', 'b.csv', 2025, 1, 2),"
        + " ('invalid_price', null, '2025-01-02', 'b.csv', null, null, null),"
        + " ('duplicate', null, '2025-01-02', 'b.csv', 2025, 1, 2),"
        + " (null, 'older_version', '2025-01-01', 'a.csv', 2024, 12, 31)"
        + " as t(reject_reason, skip_reason, raw_date, source_file, year, month, day)");
  }

  @Test
  void countsEveryOutcomeByDateFileAndPartition() {
    RowCounts counts = RowCounts.of(classified(), DayPartitions.COLUMNS);
    assertEquals(6, counts.rowsRead());
    assertEquals(3, counts.rowsToWrite());
    assertEquals(Map.of("invalid_price", 1L, "duplicate", 1L), counts.rejectedByReason());
    assertEquals(Map.of("older_version", 1L), counts.skippedByReason());
    assertEquals(Set.of("2025-01-02"), counts.rawDatesWithRejects());
    assertEquals(Set.of("year=2025/month=1/day=1", "year=2025/month=1/day=2"), counts.partitionsToWrite());
    assertEquals(Map.of("a.csv", 3L, "b.csv", 3L), counts.rowsBySourceFile());
  }

  @Test
  void countsTheSameOnTheDriverAsInSpark() {
    Dataset<Row> classified = classified();
    assertEquals(RowCounts.of(classified, DayPartitions.COLUMNS),
        RowCounts.ofCollected(classified.collectAsList(), classified.schema(), DayPartitions.COLUMNS));
    Dataset<Row> withoutSkip = classified.drop(RowCounts.SKIP_REASON).drop("year", "month", "day");
    assertEquals(RowCounts.of(withoutSkip, List.of()),
        RowCounts.ofCollected(withoutSkip.collectAsList(), withoutSkip.schema(), List.of()));
  }

  @Test
  void namesTheMissingColumns() {
    Dataset<Row> noDate = classified().drop("raw_date", "day");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RowCounts.ofCollected(List.of(), noDate.schema(), DayPartitions.COLUMNS));
    assertTrue(e.getMessage().startsWith("Cannot count rows: missing columns [raw_date]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RowCounts.ofCollected(List.of(), classified().drop("day").schema(), DayPartitions.COLUMNS));
    assertTrue(e.getMessage().startsWith("Cannot count rows: missing columns [day]"), e.getMessage());
  }
}
