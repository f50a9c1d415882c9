package io.shoplake.jobs.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.catalog.CatalogJob;
import io.shoplake.common.catalog.CatalogRegistration;
import io.shoplake.common.catalog.LakeTable;
import io.shoplake.common.catalog.LakeTables;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.SampleLakeReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * The sample pipeline run in a session with Hive support on an embedded metastore (what
 * {@code --enable-glue-datacatalog} gives a Glue job): every declared table is registered by the job that
 * wrote it, with the columns of its Parquet files; a day's query reads that day's partition only; every
 * named Athena query returns what an independent computation on the Parquet files gives.
 */
class HiveCatalogIT {
  private static SparkSession spark;
  private static LakePaths paths;

  @BeforeAll
  static void samplePipelineWithACatalog() {
    spark = SharedSpark.get();
    assertTrue(CatalogRegistration.available(spark), "the failsafe JVM's session has no Hive support");
    paths = new LakePaths(SampleLakeReference.get().root().toUri().toString().replaceAll("/$", ""));
  }

  @Test
  void everyDeclaredTableIsRegisteredWithTheColumnsOfItsFiles() {
    for (LakeTable table : LakeTables.all()) {
      String name = table.database("local") + "." + table.name();
      assertTrue(spark.catalog().tableExists(table.database("local"), table.name()), name + " is not registered");
      List<String> catalog = columns(spark.table(name).schema().fields());
      List<String> files = columns(spark.read().parquet(table.location(paths)).schema().fields());
      assertEquals(files, catalog, name);
      assertEquals(columns(table.schema().fields()), catalog, name + " against its declaration");
    }
  }

  @Test
  void aDaysQueryReturnsThatDaysRowsAndReadsOnlyItsPartition() {
    Dataset<Row> day = spark.sql("SELECT transaction_id FROM processed_local.transactions"
        + " WHERE year = 2025 AND month = 1 AND day = 2");
    // The scan's file index holds the folders it lists: only that day's, the catalog pruned the rest.
    List<String> folders = new ArrayList<>();
    for (SparkPlan leaf : JavaConverters.seqAsJavaList(day.queryExecution().executedPlan().collectLeaves())) {
      if (leaf instanceof FileSourceScanExec scan) {
        JavaConverters.seqAsJavaList(scan.relation().location().rootPaths()).forEach(p -> folders.add(p.toString()));
      }
    }
    assertEquals(List.of(new org.apache.hadoop.fs.Path(paths.processed("transactions") + "/year=2025/month=1/day=2")
        .toString()), folders);
    List<String> fromCatalog = strings(day);
    List<String> fromFiles = strings(spark.read().parquet(paths.processed("transactions"))
        .where("year = 2025 AND month = 1 AND day = 2").select("transaction_id"));
    assertTrue(fromFiles.size() > 10, "the sample has rows that day: " + fromFiles.size());
    assertEquals(fromFiles, fromCatalog);
    assertEquals(4L, spark.sql("SHOW PARTITIONS processed_local.transactions").count());
  }

  @Test
  void theNamedQueriesReturnWhatTheFilesGive() throws IOException {
    spark.catalog().setCurrentDatabase("curated_local");
    Dataset<Row> sales = spark.read().parquet(paths.curated("sales")).where("year = 2025 AND month = 1");
    Dataset<Row> completed = sales.where("status = 'completed'");

    List<String> revenue = strings(query("daily_revenue_by_category", 2025, 1));
    List<String> expectedRevenue = strings(completed.groupBy("year", "month", "day", "category_name")
        .agg(functions.countDistinct("transaction_id"), functions.sum("net_amount_usd")));
    assertEquals(expectedRevenue, revenue);
    assertTrue(revenue.size() >= 3, revenue.toString());

    Dataset<Row> performance = spark.read().parquet(paths.curated("daily_product_performance"))
        .where("year = 2025 AND month = 1").groupBy("product_id")
        .agg(functions.sum("orders").as("orders"), functions.sum("units_sold"), functions.sum("revenue_usd").as("r"));
    List<Row> top = query("top_products", 2025, 1).collectAsList();
    List<Row> expectedTop = performance.orderBy(functions.col("r").desc(), functions.col("product_id")).limit(10)
        .collectAsList();
    assertEquals(10, top.size());
    assertEquals(expectedTop.toString(), top.toString());

    List<Row> funnel = query("conversion_funnel", 2025, 1, 2025, 1).collectAsList();
    Dataset<Row> days = spark.read().parquet(paths.curated("conversion_funnel_daily")).where("year = 2025 AND month = 1");
    assertEquals(days.count() + 1, funnel.size());
    Row total = funnel.stream().filter(r -> r.getString(0).equals("total")).findFirst().orElseThrow();
    Row sums = days.agg(functions.sum("sessions"), functions.sum("sessions_with_purchase")).first();
    assertEquals(sums.getLong(0), total.getLong(1));
    assertEquals(sums.getLong(1), total.getLong(5));
    assertEquals((double) sums.getLong(1) / sums.getLong(0), total.getDouble(6), 1e-12);

    List<String> ltv = strings(query("customer_lifetime_value", 2025, 1).select("customer_id", "lifetime_value_usd"));
    List<String> expectedLtv = strings(spark.read().parquet(paths.curated("customer_summary"))
        .join(completed.select("customer_id").distinct(), "customer_id").select("customer_id", "lifetime_value_usd"));
    assertEquals(expectedLtv, ltv);
    assertTrue(ltv.size() > 10, ltv.toString());
  }

  @Test
  void theCatalogStepRegistersWhatNoRunRegistered(@TempDir Path dir) {
    spark.sql("DROP TABLE processed_local.reviews");
    TestLake moved = SampleLakeReference.get().copyTo(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(moved);
    assertEquals(0, jobs.run(new CatalogJob()).exitCode(), jobs.stdout() + jobs.stderr());
    assertTrue(spark.catalog().tableExists("processed_local", "reviews"));
    assertEquals(4L, spark.sql("SHOW PARTITIONS processed_local.reviews").count());
    LakePaths movedPaths = new LakePaths(moved.root().toUri().toString().replaceAll("/$", ""));
    assertEquals(strings(spark.read().parquet(movedPaths.processed("reviews")).select("review_id")),
        strings(spark.sql("SELECT review_id FROM processed_local.reviews")));
    assertTrue(jobs.stdout().contains("catalog run "), jobs.stdout());
    // Every table now points at the copy: back to the reference lake for the other tests (the copy goes).
    for (LakeTable table : LakeTables.all()) {
      assertTrue(CatalogRegistration.register(spark, table, table.database("local"), table.location(paths))
          .contains("recreated (location changed)"), table.name());
    }
  }

  @Test
  void anIngestedDatasetIsRegisteredFromItsContract(@TempDir Path dir) {
    TestLake lake = new TestLake(dir.resolve("ingested"));
    lake.writeRaw("leads", "2025-03-01", "a.csv", "Lead ID,Year,score", List.of("1,2024,9.5", "2,2025,7"));
    lake.writeRaw("leads", "2025-03-02", "b.csv", "Lead ID,Year,score,region", List.of("3,2025,8.25,EU"));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, jobs.run(new io.shoplake.common.ingest.IngestJob(), "--dataset", "leads").exitCode(),
        jobs.stdout() + jobs.stderr());
    assertTrue(spark.catalog().tableExists("processed_local", "leads"), jobs.stdout());
    LakePaths ingested = new LakePaths(lake.root().toUri().toString().replaceAll("/$", ""));
    assertEquals(columns(spark.read().parquet(ingested.processed("leads")).schema().fields()),
        columns(spark.table("processed_local.leads").schema().fields()));
    assertEquals(List.of("lead_id", "year_value", "score", "region"),
        List.of(spark.table("processed_local.leads").columns()).subList(0, 4));
    assertEquals(1L, spark.sql("SELECT * FROM processed_local.leads WHERE year = 2025 AND month = 3 AND day = 2"
        + " AND region = 'EU' AND score = 8.25").count());
    spark.sql("DROP TABLE processed_local.leads");
  }

  private static Dataset<Row> query(String name, Object... parameters) throws IOException {
    try (InputStream in = HiveCatalogIT.class.getResourceAsStream("/athena/queries/" + name + ".sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return spark.sql(sql, parameters);
    }
  }

  private static List<String> columns(StructField[] fields) {
    List<String> columns = new ArrayList<>();
    for (StructField f : fields) {
      columns.add(f.name() + " " + f.dataType().catalogString());
    }
    return columns;
  }

  /** Rows as sorted strings: order-free comparison of small results. */
  private static List<String> strings(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted(Comparator.naturalOrder())
        .collect(Collectors.toList());
  }
}
