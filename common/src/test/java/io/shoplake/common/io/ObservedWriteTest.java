package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservedWriteTest {
  @TempDir Path dir;

  private static Dataset<Row> events() {
    return SharedSpark.get().sql("SELECT * FROM VALUES ('E1', true), ('E2', false), ('E3', true) AS t(id, is_bot)");
  }

  @Test
  void theWriteCountsItsRowsAndTheObservedMetricsInItsOwnPass() {
    String out = dir.resolve("events").toUri().toString();
    ObservedWrite.Observed written = ObservedWrite.writeExpecting(events(), "events", 3,
        Map.of("bots", count_if(col("is_bot"))), rows -> rows.write().parquet(out));
    assertEquals(3, written.rows());
    assertEquals(Map.of("bots", 2L), written.metrics());
    assertEquals(3, SharedSpark.get().read().parquet(out).count());
  }

  @Test
  void aWriteThatSawOtherRowsThanCountedFails() {
    String out = dir.resolve("other").toUri().toString();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ObservedWrite.writeExpecting(events(), "events", 4, rows -> rows.write().parquet(out)));
    assertEquals("Cannot confirm the write of events: counted 4 rows to write but the write saw 3", e.getMessage());
  }

  @Test
  void nothingToWriteRunsNoActionAndObservesNothing() {
    Path out = dir.resolve("none");
    ObservedWrite.Observed written = ObservedWrite.writeExpecting(events().where("false"), "none", 0,
        Map.of("bots", count_if(col("is_bot"))), rows -> { });
    assertEquals(new ObservedWrite.Observed(0, Map.of()), written);
    assertTrue(Files.notExists(out));
  }
}
