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

  /**
   * The hash sum is taken in two long halves for speed; it must stay the very number a decimal sum of the
   * row hashes gives (fingerprints recorded under a lake before the change must still match).
   */
  @Test
  void theHashSumIsTheDecimalSumOfTheRowHashes() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> rows = spark.sql("SELECT IF(id % 7 = 0, NULL, concat('T', id)) AS id, id * 1.5D AS amount, "
        + "IF(id % 5 = 0, NULL, id % 3 = 0) AS flag, 2025 AS year, 1 AS month, CAST(id % 3 + 1 AS INT) AS day, "
        + "'run-1' AS run_id FROM range(0, 3000)");
    Dataset<Row> expected = rows.groupBy("year", "month", "day").agg(
        org.apache.spark.sql.functions.expr("count(*)").as("n"),
        org.apache.spark.sql.functions.expr("sum(CAST(xxhash64(struct(id, amount, flag)) AS DECIMAL(38,0)))").as("s"));
    java.util.SortedMap<String, String> want = new java.util.TreeMap<>();
    for (Row r : expected.collectAsList()) {
      want.put("year=" + r.getInt(0) + "/month=" + r.getInt(1) + "/day=" + r.getInt(2),
          r.getLong(3) + ":" + r.getDecimal(4).toBigIntegerExact());
    }
    assertEquals(3, want.size());
    assertEquals(want, of(rows, DAY));
    // Large hashes of either sign in one partition: the halves carry into each other.
    assertTrue(want.values().stream().anyMatch(f -> f.contains(":-")) || want.values().stream().anyMatch(f ->
        new java.math.BigInteger(f.substring(f.indexOf(':') + 1)).bitLength() > 63), want.toString());
  }
}
