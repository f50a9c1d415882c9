package io.shoplake.common.transform;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Latest version wins per key; the others are labelled duplicate; exact copies count once. */
class DeduplicationTest {
  private final SparkSession spark = SharedSpark.get();

  @ParameterizedTest(name = "broadcast keys: {0}")
  @ValueSource(booleans = {true, false})
  void keepsTheLatestVersionOfEachKey(boolean broadcast) {
    Dataset<Row> rows = spark.sql("select * from values"
        + " ('T1', 1, 'a'), ('T1', 3, 'b'), ('T1', 2, 'c'),"
        + " ('T2', 1, 'd'),"
        + " ('T3', 5, 'e'), ('T3', 5, 'e')"
        + " as t(id, version, tag)");
    Dataset<Row> marked = Deduplication.markDuplicates(rows, "id", List.of(col("version").desc(), col("tag").desc()),
        Deduplication.repeatedKeys(rows, "id"), broadcast);
    Dataset<Row> expected = spark.sql("select * from values"
        + " ('T1', 1, 'a', 'duplicate'), ('T1', 3, 'b', null), ('T1', 2, 'c', 'duplicate'),"
        + " ('T2', 1, 'd', null), ('T3', 5, 'e', null), ('T3', 5, 'e', 'duplicate')"
        + " as t(id, version, tag, reject_reason)");
    assertSameRows(expected, marked);
  }

  @Test
  void flagsOtherRowsByTheRepeatedKeysItFound() {
    Dataset<Row> rows = spark.sql("select * from values ('T1', 1), ('T1', 2), ('T2', 1) as t(id, version)");
    Deduplication.Marked marked = Deduplication.deduplicate(rows, "id", List.of(col("version").desc()));
    try {
      Dataset<Row> others = spark.sql("select * from values ('T1', 'x'), ('T2', 'y'), (null, 'z') as t(id, tag)");
      assertSameRows(spark.sql("select * from values ('T1', 'x', true), ('T2', 'y', null), (null, 'z', null)"
              + " as t(id, tag, repeated)"),
          marked.withRepeatedKeyFlag(others, "repeated"));
    } finally {
      marked.release();
    }
    Deduplication.Marked none = Deduplication.deduplicate(rows.filter("version = 1"), "id", List.of(col("version")));
    try {
      assertSameRows(spark.sql("select 'T1' id, cast(null as boolean) repeated"),
          none.withRepeatedKeyFlag(spark.sql("select 'T1' id"), "repeated"));
    } finally {
      none.release();
    }
  }

  /**
   * Without adaptive execution (local runs) the window's shuffle partitions would each be a task of every write of
   * the marked rows, and a small file in every output partition they touch.
   */
  @Test
  void withoutAdaptiveExecutionCachesTheRankedRowsInPartitionsSizedByTheirRows() throws Exception {
    SharedSpark.withSettings(Map.of("spark.sql.shuffle.partitions", "8", SharedSpark.ADAPTIVE, "false"), () -> {
      Deduplication.Marked marked = Deduplication.deduplicate(twentyKeysThreeRowsEach(), "id",
          List.of(col("version").desc()));
      try {
        assertEquals(1, marked.ranked().rdd().getNumPartitions());
        assertNewestOfTwentyKeysKept(marked);
      } finally {
        marked.release();
      }
    });
    long perPartition = Deduplication.REPEATED_ROWS_PER_RANKED_PARTITION;
    assertEquals(1, Deduplication.rankedPartitions(2));
    assertEquals(1, Deduplication.rankedPartitions(perPartition));
    assertEquals(2, Deduplication.rankedPartitions(perPartition + 1));
    // 100,000 keys of 50 rows each (a file sent 50 times): one partition if sized by keys, five by rows.
    assertEquals(5, Deduplication.rankedPartitions(100_000L * 50));
    assertEquals(Integer.MAX_VALUE, Deduplication.rankedPartitions(Long.MAX_VALUE));
  }

  /** With adaptive execution (Glue, clusters) the window's partitions are its to size: no cap from here. */
  @Test
  void withAdaptiveExecutionLeavesTheRankedRowsInTheWindowsPartitions() throws Exception {
    SharedSpark.withSettings(Map.of("spark.sql.shuffle.partitions", "8", SharedSpark.ADAPTIVE, "true",
        "spark.sql.adaptive.coalescePartitions.enabled", "false"), () -> {
          Deduplication.Marked marked = Deduplication.deduplicate(twentyKeysThreeRowsEach(), "id",
              List.of(col("version").desc()));
          try {
            marked.ranked().count();
            assertEquals(8, marked.ranked().rdd().getNumPartitions());
            assertNewestOfTwentyKeysKept(marked);
          } finally {
            marked.release();
          }
        });
  }

  /** Ids 0-19, each three times, with versions 0-59: version 40-59 is each id's newest. */
  private Dataset<Row> twentyKeysThreeRowsEach() {
    return spark.range(0, 60).selectExpr("cast(id % 20 as string) as id", "id as version");
  }

  private void assertNewestOfTwentyKeysKept(Deduplication.Marked marked) {
    assertEquals(20, marked.repeatedKeyCount());
    assertSameRows(spark.range(40, 60).selectExpr("cast(id % 20 as string) as id", "id as version"),
        marked.rows().filter(col("reject_reason").isNull()).drop("reject_reason"));
    assertEquals(40, marked.rows().filter(col("reject_reason").equalTo(Deduplication.DUPLICATE)).count());
  }

  @Test
  void appliesATransformToEachPartAsToTheWhole() {
    Dataset<Row> rows = spark.sql("select * from values ('T1', 1), ('T1', 2), ('T2', 1) as t(id, version)");
    Transform tagged = part -> part.withColumn("tag", concat_ws("-", col("id"), col("version")));
    Deduplication.Marked marked = Deduplication.deduplicate(rows, "id", List.of(col("version").desc()));
    try {
      assertSameRows(spark.sql("select * from values ('T1', 1, 'duplicate', 'T1-1'), ('T1', 2, null, 'T1-2'),"
              + " ('T2', 1, null, 'T2-1') as t(id, version, reject_reason, tag)"),
          marked.rows(tagged));
      assertSameRows(marked.rows().transform(tagged), marked.rows(tagged));
    } finally {
      marked.release();
    }
    Deduplication.Marked none = Deduplication.deduplicate(rows.filter("version = 1"), "id", List.of(col("version")));
    try {
      assertSameRows(spark.sql("select * from values ('T1', 1, cast(null as string), 'T1-1'),"
              + " ('T2', 1, null, 'T2-1') as t(id, version, reject_reason, tag)"),
          none.rows(tagged));
    } finally {
      none.release();
    }
  }
}
