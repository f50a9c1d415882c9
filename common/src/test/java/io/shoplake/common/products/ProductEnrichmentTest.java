package io.shoplake.common.products;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Product enrichment on a temporary lake: latest version, category path, metrics, days of supply. */
class ProductEnrichmentTest {
  private static final String CATEGORIES_HEADER = "category_id,category_name,parent_category_id,department";

  @TempDir Path dir;
  private TestLake lake;
  private JobHarness jobs;
  private final SparkSession spark = SharedSpark.get();

  @BeforeEach
  void rawZone() {
    lake = new TestLake(dir.resolve("lake"));
    jobs = new JobHarness(lake);
    lake.writeRaw("categories", "2025-01-01", "c.csv", CATEGORIES_HEADER, List.of(
        "C1,Computers,,Electronics", "C2,Laptops,C1,Electronics", ",No id,,Electronics"));
    lake.writeJsonLines("products", "2025-01-01", "p.jsonl", List.of(
        product("P1", "C2", "100.00", "60.00", "10", "5", "2025-01-01T00:00:00Z"),
        product("P2", "C404", "50.00", "50.00", "3", "5", "2025-01-01T00:00:00Z"),
        product("P3", "C1", "0.00", "0.00", "0", "0", "2025-01-01T00:00:00Z"),
        product("P4", "C1", "-1.00", "1.00", "1", "1", "2025-01-01T00:00:00Z"),
        "{\"product_id\": \"P5\", \"name\": "));
    // A newer version of P1 (stock and price changed) and an older one of P2 (must not win).
    lake.writeJsonLines("products", "2025-01-02", "p.jsonl", List.of(
        product("P1", "C2", "120.00", "60.00", "20", "5", "2025-01-02T08:00:00Z"),
        product("P2", "C404", "1.00", "1.00", "1", "1", "2024-12-31T00:00:00Z")));
  }

  /**
   * One line of five in the first products file is broken: over the default share that rejects a file whole
   * (shoplake.validate.max-malformed-line-ratio), so these tests of the row rules allow more.
   */
  private String tolerantConf() {
    Path conf = dir.resolve("tolerant.conf");
    try {
      java.nio.file.Files.writeString(conf, "shoplake.validate.max-malformed-line-ratio = 0.5\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return conf.toString();
  }

  private static String product(String id, String category, String price, String cost, String stock, String reorder,
      String updatedAt) {
    return "{\"product_id\":\"" + id + "\",\"sku\":\"SKU-" + id + "\",\"name\":\"Item " + id + "\",\"category_id\":\""
        + category + "\",\"brand\":\"Acme\",\"price\":" + price + ",\"cost\":" + cost + ",\"currency\":\"USD\","
        + "\"stock_quantity\":" + stock + ",\"reorder_level\":" + reorder + ",\"is_active\":true,"
        + "\"attributes\":{\"color\":\"red\",\"weight\":2},\"updated_at\":\"" + updatedAt + "\"}";
  }

  private Dataset<Row> enriched() {
    return jobs.read("processed/products").selectExpr("product_id", "category_name", "parent_category_name",
        "department", "category_path", "unknown_category", "price", "stock_value", "margin", "margin_pct",
        "low_stock", "units_sold_window", "days_of_supply", "attributes['weight'] as weight");
  }

  @Test
  void withoutSalesHistoryDaysOfSupplyIsNullAndUnknownCategoriesAreKept() {
    JobOutcome outcome = jobs.run(new ProductEnrichment(), "--config-file", tolerantConf());
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertSameRows(spark.sql("select * from values"
            + " ('P1', 'Laptops', 'Computers', 'Electronics', 'Electronics > Computers > Laptops', false, 120.00BD,"
            + "  1200.00BD, 60.00BD, 50.00BD, false, 0L, cast(null as decimal(18,2)), '2'),"
            + " ('P2', null, null, null, null, true, 50.00BD, 150.00BD, 0.00BD, 0.00BD, true, 0L,"
            + "  cast(null as decimal(18,2)), '2'),"
            + " ('P3', 'Computers', null, 'Electronics', 'Electronics > Computers', false, 0.00BD, 0.00BD, 0.00BD,"
            + "  cast(null as decimal(12,2)), true, 0L, cast(null as decimal(18,2)), '2')"
            + " as t(product_id, category_name, parent_category_name, department, category_path, unknown_category,"
            + " price, stock_value, margin, margin_pct, low_stock, units_sold_window, days_of_supply, weight)")
        .selectExpr("product_id", "category_name", "parent_category_name", "department", "category_path",
            "unknown_category", "cast(price as decimal(12,2))", "cast(stock_value as decimal(22,2))",
            "cast(margin as decimal(13,2))", "cast(margin_pct as decimal(12,2))", "low_stock", "units_sold_window",
            "days_of_supply", "weight"),
        enriched());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(7, m.getRowsRead());
    assertEquals(3, m.getRowsWritten());
    assertEquals(Map.of("malformed_row", 1L, "negative_price", 1L), m.getRejectedByReason());
    assertEquals(Map.of("older_version", 2L), m.getSkippedByReason());
    assertEquals(Map.of("missing_category_id", 1L), m.getMetrics().get("categories_rejected_by_reason"));
    assertTrue(m.getWarnings().stream().anyMatch(w -> w.contains("days_of_supply is null")), m.getWarnings().toString());
    assertTrue(m.getWarnings().stream().anyMatch(w -> w.startsWith("1 product(s) have a missing or unknown category_id")),
        m.getWarnings().toString());
    assertEquals(2, jobs.read("quarantine/products").count());
  }

  @Test
  void daysOfSupplyUsesCompletedUnitsOfTheTrailingWindowEndingOnTheLatestSalesDay() {
    lake.writeFxRates("2025-01-01", "fx.csv", List.of("2025-01-01,USD,1"));
    lake.writeTransactions("2025-02-10", "t.csv", List.of(
        "T1,C1,P1,4,10.00,,,USD,card,completed,2025-02-10T10:00:00Z,,",
        "T2,C1,P1,2,10.00,,,USD,card,completed,2025-01-12T10:00:00Z,,",
        "T3,C1,P1,50,10.00,,,USD,card,pending,2025-02-09T10:00:00Z,,",
        "T4,C1,P1,99,10.00,,,USD,card,completed,2025-01-11T23:59:59Z,,",
        "T5,C1,P3,1,10.00,,,USD,card,cancelled,2025-02-10T10:00:00Z,,"));
    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    assertEquals(0, jobs.run(new ProductEnrichment(), "--config-file", tolerantConf()).exitCode(), jobs.stderr());
    // Window 2025-01-12..2025-02-10: T1 and T2 count (6 units); T3 is pending, T4 is a day too early.
    // P1: stock 20 / (6 / 30) = 100.00 days.
    assertSameRows(spark.sql("select * from values ('P1', 6L, 100.00BD, '2025-02-10'), ('P2', 0L, null, '2025-02-10'),"
            + " ('P3', 0L, null, '2025-02-10') as t(product_id, units_sold_window, days_of_supply, sales_window_end)")
            .selectExpr("product_id", "units_sold_window", "cast(days_of_supply as decimal(18,2))", "sales_window_end"),
        jobs.read("processed/products").selectExpr("product_id", "units_sold_window", "days_of_supply",
            "cast(sales_window_end as string)"));
  }
}
