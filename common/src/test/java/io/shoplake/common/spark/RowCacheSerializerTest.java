package io.shoplake.common.spark;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.shoplake.common.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Dataset read from a cache kept as binary rows is the Dataset computed again: every type the lake holds,
 * nulls, column subsets in another order, filters, rows larger than a batch, empty partitions, in memory and
 * on disk (where each batch is serialised).
 */
class RowCacheSerializerTest {
  private final SparkSession spark = SharedSpark.get();

  /** Every kind of column: fixed width, variable width (strings, big decimals, binary) and nested. */
  private Dataset<Row> rows() {
    return spark.sql("""
        select id,
               case when id % 7 = 0 then null else concat('tx-', id, ' ünïcødé ', repeat('x', id % 40)) end as name,
               cast(id as int) as n,
               id * 1.5d as ratio,
               cast(id / 3 as decimal(12, 2)) as amount,
               cast(id * 1000003 as decimal(38, 6)) as big_amount,
               id % 2 = 0 as even,
               timestamp_micros(1700000000000000 + id * 1000001) as ts,
               date_add(date'2026-01-01', cast(id % 400 as int)) as day,
               case when id % 5 = 0 then null else cast(concat('b', id) as binary) end as bytes,
               array(concat('a', id), null, '') as tags,
               map('k', cast(id as int)) as attributes,
               named_struct('x', id, 'y', concat('y', id)) as point,
               '' as empty
        from range(0, 3000, 1, 7)
        """);
  }

  /** The binary column as hex: a byte array's own text is its identity, not its bytes. */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    return rows.withColumn("bytes", hex(col("bytes")));
  }

  @Test
  void theTestSessionKeepsItsCachesAsRows() {
    assertEquals(RowCacheSerializer.class.getName(), spark.conf().get(SparkSessions.CACHE_SERIALIZER));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY_ONLY", "MEMORY_AND_DISK", "DISK_ONLY"})
  void theCachedRowsAreTheRowsComputedAgain(String level) {
    Dataset<Row> persisted = rows().persist(StorageLevel.fromString(level));
    try {
      Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
      InMemoryRelation relation = (InMemoryRelation) cached.queryExecution().analyzed();
      assertInstanceOf(RowCacheSerializer.class, relation.cacheBuilder().serializer());
      assertEquals(3000, cached.count());
      assertSameRows(comparable(rows()), comparable(cached));
      // A subset of the columns in another order: a projection of the cached rows.
      assertSameRows(rows().select("point", "amount", "name", "id"), cached.select("point", "amount", "name", "id"));
      assertSameRows(comparable(rows().filter(col("even").and(col("name").isNotNull())).select("id", "tags", "bytes")),
          comparable(cached.filter(col("even").and(col("name").isNotNull())).select("id", "tags", "bytes")));
      // Read twice from the same blocks: a read leaves them as they were.
      assertSameRows(rows().groupBy("day").count(), cached.groupBy("day").count());
    } finally {
      persisted.unpersist(true);
    }
  }

  @Test
  void rowsLargerThanABatchAreKeptWhole() {
    int large = RowCacheSerializer.BATCH_BYTES + 1000;
    Dataset<Row> rows = spark.range(0, 40, 1, 2).withColumn("text",
        when(col("id").mod(10).equalTo(3), repeat(lit("z"), large)).otherwise(repeat(lit("s"), 100)));
    Dataset<Row> persisted = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
      List<Row> lengths = cached.groupBy(length(col("text")).as("length")).count().orderBy("length").collectAsList();
      assertEquals(List.of(RowFactory.create(100, 36L), RowFactory.create(large, 4L)).toString(), lengths.toString());
      assertSameRows(rows, cached);
    } finally {
      persisted.unpersist(true);
    }
  }

  @Test
  void emptyPartitionsAndAnEmptyDatasetAreCached() {
    Dataset<Row> sparse = rows().filter(col("id").lt(2)).repartition(5);
    Dataset<Row> persisted = sparse.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> none = rows().filter(col("id").lt(0)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      assertSameRows(comparable(rows().filter(col("id").lt(2))), comparable(CachedPlans.startingAtCache(persisted)));
      assertEquals(0, CachedPlans.startingAtCache(none).count());
      assertEquals(rows().schema(), CachedPlans.startingAtCache(none).schema());
    } finally {
      persisted.unpersist(true);
      none.unpersist(true);
    }
  }
}
