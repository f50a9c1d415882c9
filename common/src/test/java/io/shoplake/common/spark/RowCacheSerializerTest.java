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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.rules.RowRules;
import io.shoplake.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
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
  void rowsThatAreNotBinaryRowsAreConvertedIntoTheBatch() {
    // Spark's plans hand the cache binary rows; any other InternalRow is converted on the way in.
    StructType schema = new StructType().add("id", DataTypes.LongType).add("name", DataTypes.StringType)
        .add("amount", DataTypes.createDecimalType(12, 2));
    List<InternalRow> input = new ArrayList<>();
    for (long i = 0; i < 5; i++) {
      input.add(new GenericInternalRow(new Object[] {i, i == 2 ? null : UTF8String.fromString("n" + i),
          Decimal.apply(new java.math.BigDecimal(i + ".25"))}));
    }
    List<CachedBatch> batches = new ArrayList<>();
    new RowCacheSerializer.Packer(input.iterator(), schema).forEachRemaining(batches::add);
    assertEquals(1, batches.size());
    assertEquals(5, batches.get(0).numRows());
    List<String> read = new ArrayList<>();
    new RowCacheSerializer.Unpacker(batches.iterator(), 3).forEachRemaining(row -> read.add(row.getLong(0) + " "
        + (row.isNullAt(1) ? "null" : row.getUTF8String(1)) + " " + row.getDecimal(2, 12, 2)));
    assertEquals(List.of("0 n0 0.25", "1 n1 1.25", "2 null 2.25", "3 n3 3.25", "4 n4 4.25"), read);
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

  @Test
  void rejectedRowsArePackedApartFromTheValidOnesAndKeepTheirOrder() {
    StructType schema = new StructType().add("id", DataTypes.LongType).add(RowRules.REJECT_REASON, DataTypes.StringType);
    List<InternalRow> input = new ArrayList<>();
    for (long i = 0; i < 10; i++) {
      input.add(new GenericInternalRow(new Object[] {i, i % 3 == 1 ? UTF8String.fromString("bad " + i) : null}));
    }
    List<CachedBatch> batches = new ArrayList<>();
    new RowCacheSerializer.Packer(input.iterator(), schema).forEachRemaining(batches::add);
    List<String> read = new ArrayList<>();
    for (CachedBatch batch : batches) {
      RowCacheSerializer.Verdicts verdicts = ((RowCacheSerializer.RowBatch) batch).verdicts();
      new RowCacheSerializer.Unpacker(List.of(batch).iterator(), 2).forEachRemaining(row -> read.add(verdicts + " "
          + row.getLong(0)));
    }
    assertEquals(List.of("VALID 0", "VALID 2", "VALID 3", "VALID 5", "VALID 6", "VALID 8", "VALID 9",
        "REJECTED 1", "REJECTED 4", "REJECTED 7"), read);

    // Without the column, one kind of batch as before.
    List<CachedBatch> unsplit = new ArrayList<>();
    new RowCacheSerializer.Packer(input.iterator(), new StructType().add("id", DataTypes.LongType)
        .add("note", DataTypes.StringType)).forEachRemaining(unsplit::add);
    assertEquals(1, unsplit.size());
    assertEquals(RowCacheSerializer.Verdicts.UNSPLIT, ((RowCacheSerializer.RowBatch) unsplit.get(0)).verdicts());
  }

  @Test
  void batchesOfBothVerdictsFillAndLargeRowsStayWhole() {
    // Rows of about 1 MB, every third rejected, one of each verdict larger than a batch: every row comes back
    // once, in a batch of its verdict, and no batch but a single large row's is over the batch size.
    StructType schema = new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType)
        .add(RowRules.REJECT_REASON, DataTypes.StringType);
    List<InternalRow> input = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      int size = i == 10 || i == 13 ? RowCacheSerializer.BATCH_BYTES + 10 : 1 << 20;
      input.add(new GenericInternalRow(new Object[] {i, UTF8String.fromString("t".repeat(size)),
          i % 3 == 1 ? UTF8String.fromString("bad") : null}));
    }
    List<CachedBatch> batches = new ArrayList<>();
    new RowCacheSerializer.Packer(input.iterator(), schema).forEachRemaining(batches::add);
    List<Long> ids = new ArrayList<>();
    for (CachedBatch batch : batches) {
      RowCacheSerializer.RowBatch rows = (RowCacheSerializer.RowBatch) batch;
      assertTrue(rows.numRows() == 1 || rows.bytes().length <= RowCacheSerializer.BATCH_BYTES, rows.numRows()
          + " rows in " + rows.bytes().length + " bytes");
      new RowCacheSerializer.Unpacker(List.of(batch).iterator(), 3).forEachRemaining(row -> {
        assertEquals(rows.verdicts() == RowCacheSerializer.Verdicts.REJECTED, !row.isNullAt(2));
        ids.add(row.getLong(0));
      });
    }
    assertEquals(LongStream.range(0, 30).boxed().collect(Collectors.toSet()), new HashSet<>(ids));
    assertEquals(30, ids.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY_ONLY", "DISK_ONLY"})
  void aScanOfOneVerdictReadsOnlyTheBatchesOfThatVerdict(String level) {
    Dataset<Row> staged = spark.range(0, 20000, 1, 2).withColumn(RowRules.REJECT_REASON,
        when(col("id").mod(50).equalTo(7), lit("bad")).otherwise(lit(null).cast("string")))
        .withColumn("payload", repeat(lit("p"), 500));
    Dataset<Row> persisted = staged.persist(StorageLevel.fromString(level));
    try {
      Dataset<Row> cached = CachedPlans.startingAtCache(persisted);
      Dataset<Row> rejected = cached.filter(col(RowRules.REJECT_REASON).isNotNull()).select("id", "payload");
      Dataset<Row> valid = cached.filter(col(RowRules.REJECT_REASON).isNull().and(col("id").gt(10)));
      assertSameRows(staged.filter(col(RowRules.REJECT_REASON).isNotNull()).select("id", "payload"), rejected);
      assertSameRows(staged.filter(col(RowRules.REJECT_REASON).isNull().and(col("id").gt(10))), valid);
      // The scan's own row count: the rows of the batches it kept, before the filter above it.
      assertEquals(400, scannedRows(rejected));
      assertEquals(19600, scannedRows(valid));
      assertEquals(20000, scannedRows(cached.filter(col("id").gt(10))));
    } finally {
      persisted.unpersist(true);
    }
  }

  /** Runs the query and returns how many rows its cache scan read. */
  private static long scannedRows(Dataset<Row> query) {
    query.collectAsList();
    SparkPlan scan = query.queryExecution().executedPlan().find(p -> p instanceof InMemoryTableScanExec).get();
    return (long) scan.metrics().apply("numOutputRows").value();
  }
}
