package io.shoplake.common.jdbc;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.StgCoreDatabase;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real database the JDBC work builds on: the sample stg_core loads, Spark reads it with Connector/J,
 * and a read split into id ranges returns exactly the rows of a single read.
 */
class StgCoreDatabaseTest {
  private static StgCoreDatabase db;

  @BeforeAll
  static void sample() {
    db = StgCoreDatabase.get().resetToSample();
  }

  private static DataFrameReader jdbc(String table) {
    return SharedSpark.get().read().format("jdbc")
        .option("url", db.jdbcUrl())
        .option("driver", com.mysql.cj.jdbc.Driver.class.getName())
        .option("user", db.user())
        .option("password", db.password())
        .option("dbtable", table)
        .option("fetchsize", "1000");
  }

  @Test
  void theSampleSchemaIsLoaded() {
    assertEquals(60, jdbc("customers").load().count());
    assertEquals(290, jdbc("orders").load().count());
    assertEquals(290, jdbc("order_items").load().count());
  }

  @Test
  void aReadSplitIntoIdRangesReturnsExactlyTheRowsOfASingleRead() {
    Dataset<Row> single = jdbc("orders").load();
    Dataset<Row> parallel = jdbc("orders")
        .option("partitionColumn", "id").option("lowerBound", "1").option("upperBound", "290")
        .option("numPartitions", "4").load();
    assertEquals(4, parallel.rdd().getNumPartitions());
    assertSameRows(single, parallel);
  }
}
