package io.shoplake.common.state;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.lake.DatasetSignature;
import io.shoplake.common.testing.SharedSpark;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertEquals(Set.of("year=2025/month=1/day=2"), PartitionFingerprints.changed(before, after));
  }

  @Test
  void severalDatasetsInOneExecutionGiveWhatEachGivesAlone() {
    Map<String, SortedMap<String, String>> each = PartitionFingerprints.ofEach(
        Map.of("sales", sales("run-1", 30), "products", products(), "empty", products().where("stock > 99")),
        Map.of("sales", DAY, "products", List.of(), "empty", List.of()));
    assertEquals(Map.of("sales", of(sales("run-1", 30), DAY),
        "products", of(products(), List.of()), "empty", new TreeMap<>()), each);
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
        expr("count(*)").as("n"),
        expr("sum(CAST(xxhash64(struct(id, amount, flag)) AS DECIMAL(38,0)))").as("s"));
    SortedMap<String, String> want = new TreeMap<>();
    for (Row r : expected.collectAsList()) {
      want.put("year=" + r.getInt(0) + "/month=" + r.getInt(1) + "/day=" + r.getInt(2),
          r.getLong(3) + ":" + r.getDecimal(4).toBigIntegerExact());
    }
    assertEquals(3, want.size());
    assertEquals(want, of(rows, DAY));
    // Large hashes of either sign in one partition: the halves carry into each other.
    assertTrue(want.values().stream().anyMatch(f -> f.contains(":-")) || want.values().stream().anyMatch(f ->
        new BigInteger(f.substring(f.indexOf(':') + 1)).bitLength() > 63), want.toString());
  }

  @TempDir Path dir;

  private SortedMap<String, String> foldersOf(String path) {
    return DatasetSignature.ofEachFolder(
        SharedSpark.get().sparkContext().hadoopConfiguration(), path, 3).folders();
  }

  /**
   * Only the partitions whose folder changed are scanned again, and the result is what a full scan of the
   * new files gives: rewritten, added and removed partitions included.
   */
  @Test
  void onlyChangedFoldersAreReadAndTheResultEqualsAFullScan() throws Exception {
    SparkSession spark = SharedSpark.get();
    String path = dir.resolve("sales").toString();
    spark.sql("SELECT concat('T', id) AS id, id AS amount, 2025 AS year, 1 AS month, CAST(id % 3 + 1 AS INT) AS day"
        + " FROM range(0, 30)").write().partitionBy("year", "month", "day").parquet(path);
    Map<String, SortedMap<String, String>> recorded = Map.of("sales", of(spark.read().parquet(path), DAY));
    Map<String, SortedMap<String, String>> recordedFolders = Map.of("sales", foldersOf(path));
    assertEquals(recorded.get("sales").keySet(), recordedFolders.get("sales").keySet());

    // Nothing changed: nothing is read (a planted value the data cannot give stays as recorded).
    SortedMap<String, String> planted = new TreeMap<>(recorded.get("sales"));
    planted.put("year=2025/month=1/day=1", "99:99");
    PartitionFingerprints.Reused same = PartitionFingerprints.ofEachChanged(Map.of("sales", spark.read().parquet(path)),
        Map.of("sales", DAY), Map.of("sales", planted), recordedFolders, Map.of("sales", foldersOf(path)));
    assertEquals(Map.of("sales", planted), same.fingerprints());
    assertEquals(3, same.reused());

    // Day 2 rewritten with other rows, day 3 deleted, day 4 added; day 1 untouched.
    SharedSpark.withSettings(Map.of("spark.sql.sources.partitionOverwriteMode", "dynamic"), () ->
        spark.sql("SELECT concat('U', id) AS id, id AS amount, 2025 AS year, 1 AS month, CAST(id % 2 * 2 + 2 AS INT)"
            + " AS day FROM range(0, 8)").write().mode("overwrite").partitionBy("year", "month", "day").parquet(path));
    FileUtil.fullyDelete(new File(path + "/year=2025/month=1/day=3"));
    PartitionFingerprints.Reused changed = PartitionFingerprints.ofEachChanged(
        Map.of("sales", spark.read().parquet(path)), Map.of("sales", DAY), recorded, recordedFolders,
        Map.of("sales", foldersOf(path)));
    SortedMap<String, String> full = of(spark.read().parquet(path), DAY);
    assertEquals(List.of("year=2025/month=1/day=1", "year=2025/month=1/day=2", "year=2025/month=1/day=4"),
        List.copyOf(full.keySet()));
    assertEquals(Map.of("sales", full), changed.fingerprints());
    assertEquals(1, changed.reused(), "day 1 only");
    assertNotEquals(recorded.get("sales").get("year=2025/month=1/day=2"), full.get("year=2025/month=1/day=2"));
  }

  @Test
  void anUnpartitionedDatasetIsReadOnlyWhenItsFilesChanged() {
    SparkSession spark = SharedSpark.get();
    String path = dir.resolve("products").toString();
    products().write().parquet(path);
    SortedMap<String, String> folders = DatasetSignature.ofEachFolder(
        spark.sparkContext().hadoopConfiguration(), path, 0).folders();
    assertEquals(List.of(""), List.copyOf(folders.keySet()));
    Map<String, SortedMap<String, String>> recorded = Map.of("products", of(spark.read().parquet(path), List.of()));
    // A recorded value the data cannot give: kept as it is only if the files are not read.
    Map<String, SortedMap<String, String>> planted = Map.of("products", new TreeMap<>(Map.of("", "7:7")));
    PartitionFingerprints.Reused kept = PartitionFingerprints.ofEachChanged(Map.of("products", spark.read().parquet(path)),
        Map.of("products", List.of()), planted, Map.of("products", folders), Map.of("products", folders));
    assertEquals(planted, kept.fingerprints());
    SortedMap<String, String> otherFolders = new TreeMap<>(Map.of("", "changed"));
    PartitionFingerprints.Reused read = PartitionFingerprints.ofEachChanged(Map.of("products", spark.read().parquet(path)),
        Map.of("products", List.of()), planted, Map.of("products", otherFolders), Map.of("products", folders));
    assertEquals(recorded, read.fingerprints());
    assertEquals(0, read.reused());
  }
}
