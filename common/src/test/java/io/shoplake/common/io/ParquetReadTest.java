package io.shoplake.common.io;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side schema inference reads what Spark's own inference reads: same schema, same rows, same errors. */
class ParquetReadTest {
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  private Dataset<Row> typedRows() {
    return spark.sql("select * from values"
        + " ('a', 1.25BD, timestamp'2025-01-01 10:00:00', date'2025-01-01', map('k', 'v'), array(1, 2), 2025, 1, 1),"
        + " ('b', null, null, null, null, null, 2025, 1, 2)"
        + " as t(id, amount, ts, d, attrs, xs, year, month, day)")
        .selectExpr("id", "cast(amount as decimal(12,2)) amount", "ts", "d", "attrs", "xs",
            "named_struct('x', id, 'n', year) nested", "year", "month", "day");
  }

  private void assertReadsAsSpark(String path) {
    Dataset<Row> spark = this.spark.read().parquet(path);
    Dataset<Row> ours = ParquetRead.read(this.spark, path);
    assertEquals(spark.schema(), ours.schema());
    assertSameRows(spark, ours);
  }

  @Test
  void aPartitionedDatasetHasSparksSchemaWithItsPartitionColumnsLast() throws IOException {
    String path = dir.resolve("sales").toString();
    typedRows().write().partitionBy("year", "month", "day").parquet(path);
    // Hidden folders and files Spark skips, with another schema: never the file the schema comes from.
    spark.sql("select 1 as other").write().parquet(dir.resolve("sales/_temporary/0").toString());
    spark.sql("select 1 as other").write().parquet(dir.resolve("sales/.spark-staging-1/year=2025").toString());
    assertTrue(ParquetRead.schema(spark, spark.sessionState().newHadoopConf(), path).isPresent());
    assertReadsAsSpark(path);
    assertEquals("id,amount,ts,d,attrs,xs,nested,year,month,day",
        String.join(",", ParquetRead.read(spark, path).columns()));
  }

  @Test
  void aWholeDatasetHasSparksSchema() {
    String path = dir.resolve("summary").toString();
    typedRows().drop("year", "month", "day").coalesce(1).write().parquet(path);
    assertReadsAsSpark(path);
  }

  @Test
  void anEmptyOrMissingFolderFailsAsSparkFails() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty/year=2025"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    AnalysisException sparks = assertThrows(AnalysisException.class, () -> spark.read().parquet(empty.getParent().toString()));
    AnalysisException ours = assertThrows(AnalysisException.class,
        () -> ParquetRead.read(spark, empty.getParent().toString()));
    assertEquals(sparks.getMessage(), ours.getMessage());
    String missing = dir.resolve("missing").toString();
    assertEquals(assertThrows(AnalysisException.class, () -> spark.read().parquet(missing)).getMessage(),
        assertThrows(AnalysisException.class, () -> ParquetRead.read(spark, missing)).getMessage());
  }

  @Test
  void withSchemaMergingOnEveryFooterIsSparks() throws Exception {
    String path = dir.resolve("merged").toString();
    typedRows().drop("xs").write().partitionBy("year", "month", "day").parquet(path);
    typedRows().withColumn("day", org.apache.spark.sql.functions.lit(3)).write().mode(SaveMode.Append).partitionBy("year", "month", "day").parquet(path);
    SharedSpark.withSettings(Map.of("spark.sql.parquet.mergeSchema", "true"), () -> {
      assertReadsAsSpark(path);
      assertTrue(List.of(ParquetRead.read(spark, path).columns()).contains("xs"));
    });
  }

  @Test
  void aFileThatIsNotParquetIsLeftToSpark() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("notparquet"));
    Files.writeString(folder.resolve("part-0.parquet"), "id,amount\n1,2\n");
    assertTrue(ParquetRead.schema(spark, spark.sessionState().newHadoopConf(), folder.toString()).isEmpty());
    assertThrows(Exception.class, () -> ParquetRead.read(spark, folder.toString()).collectAsList());
  }

  @Test
  void aRewrittenDatasetIsReadWithTheSchemaOfItsFiles() {
    String path = dir.resolve("rewritten").toString();
    typedRows().write().parquet(path);
    typedRows().drop("xs").write().mode(SaveMode.Overwrite).parquet(path);
    assertReadsAsSpark(path);
  }
}
