package io.shoplake.common.spark;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.shoplake.common.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The rows of a cache as a plan of one node, and the same rows as the persisted Dataset's. */
class CachedPlansTest {
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> rows() {
    return spark.sql("select * from values ('T1', 1), ('T1', 2), ('T2', 3) as t(id, n)")
        .withColumn("twice", col("n").multiply(2))
        .filter(col("n").gt(0));
  }

  @Test
  void aPersistedDatasetIsReadFromItsCacheAsOneNode() {
    Dataset<Row> persisted = rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
      // Fails if a Spark upgrade stops returning the in-memory relation for a persisted plan.
      assertInstanceOf(InMemoryRelation.class, cached.queryExecution().analyzed());
      assertEquals(persisted.schema(), cached.schema());
      assertSameRows(persisted, cached);
    } finally {
      persisted.unpersist();
    }
  }

  @Test
  void theCachedRowsCombineWithThemselves() {
    Dataset<Row> persisted = rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
      Dataset<Row> repeated = cached.groupBy("id").count().filter(col("count").gt(1)).select(col("id").as("key"));
      Dataset<Row> joined = cached.join(repeated, col("id").equalTo(col("key"))).drop("key")
          .unionByName(cached.filter(col("id").equalTo("T2")));
      assertSameRows(spark.sql("select * from values ('T1', 1, 2), ('T1', 2, 4), ('T2', 3, 6) as t(id, n, twice)"),
          joined);
    } finally {
      persisted.unpersist();
    }
  }

  @Test
  void rowsReadAfterTheCacheIsDroppedAreComputedAgain() {
    Dataset<Row> persisted = rows().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
    assertEquals(3, cached.count());
    persisted.unpersist();
    assertSameRows(rows(), cached);
  }

  @Test
  void aDatasetThatIsNotPersistedComesBackAsItIs() {
    Dataset<Row> rows = rows();
    assertSame(rows, CachedPlans.startingAtCache(rows));
  }
}
