package io.shoplake.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class PartitionFingerprintsTest {
  private static final List<String> DAY = List.of("year", "month", "day");

  private static Dataset<Row> sales(String runId, int lastAmount) {
    SparkSession spark = SharedSpark.get();
    return spark.sql("SELECT * FROM VALUES "
        + "('T1', 10, 2025, 1, 1, '" + runId + "'), ('T2', 20, 2025, 1, 1, '" + runId + "'), "
        + "('T3', " + lastAmount + ", 2025, 1, 2, '" + runId + "') AS t(id, amount, year, month, day, run_id)");
  }

  private static Dataset<Row> products() {
    return SharedSpark.get().sql("SELECT * FROM VALUES ('P1', 3), ('P2', 4) AS t(product_id, stock)");
  }

  /** One dataset's fingerprints. */
  private static SortedMap<String, String> of(Dataset<Row> rows, List<String> partitionColumns) {
    return PartitionFingerprints.ofEach(Map.of("one", rows), Map.of("one", partitionColumns)).get("one");
  }

  @Test
  void aPartitionsFingerprintChangesWithItsRowsOnlyNotWithItsLineage() {
    SortedMap<String, String> before = of(sales("run-1", 30), DAY);
    assertEquals(List.of("year=2025/month=1/day=1", "year=2025/month=1/day=2"), List.copyOf(before.keySet()));
    assertEquals(before, of(sales("run-2", 30), DAY));
    SortedMap<String, String> after = of(sales("run-2", 31), DAY);
    assertEquals(before.get("year=2025/month=1/day=1"), after.get("year=2025/month=1/day=1"));
    assertNotEquals(before.get("year=2025/month=1/day=2"), after.get("year=2025/month=1/day=2"));
    assertEquals(java.util.Set.of("year=2025/month=1/day=2"), PartitionFingerprints.changed(before, after));
  }

  @Test
  void severalDatasetsInOneExecutionGiveWhatEachGivesAlone() {
    Map<String, SortedMap<String, String>> each = PartitionFingerprints.ofEach(
        Map.of("sales", sales("run-1", 30), "products", products(), "empty", products().where("stock > 99")),
        Map.of("sales", DAY, "products", List.of(), "empty", List.of()));
    assertEquals(Map.of("sales", of(sales("run-1", 30), DAY),
        "products", of(products(), List.of()), "empty", new java.util.TreeMap<>()), each);
    assertEquals(1, each.get("products").size());
    // Rows and hash sum: the format stored in _state/, which must not change under a lake.
    assertTrue(each.get("products").get("").matches("2:-?[0-9]+"), each.get("products").toString());
    assertEquals(Map.of(), PartitionFingerprints.ofEach(Map.of(), Map.of()));
  }
}
