package io.shoplake.common.transactions;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction ETL with {@code --transactions-source jdbc}: stg_core's order items through the same
 * rules and derivations as the raw CSV, on the real embedded server.
 */
class StgCoreTransactionsTest {
  /**
   * What both sources know of a transaction: stg_core has no discount, tax, payment or shipping, and the
   * CSV's e-mail is optional (stg_core's customers always have one).
   */
  private static final String[] SHARED = {"customer_id", "product_id", "quantity", "unit_price", "gross_amount",
      "currency", "usd_rate", "status", "cast(transaction_ts as string) as transaction_ts", "hour", "year", "month",
      "day"};

  @TempDir Path dir;
  private StgCoreDatabase db;

  @BeforeEach
  void sample() {
    db = StgCoreDatabase.get().resetToSample();
  }

  private JobHarness jobs(String lake) {
    return new JobHarness(new TestLake(dir.resolve(lake)).withSampleRaw("fx_rates"), Map.of(
        "STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", db.password()));
  }

  @Test
  void theSampleOrdersGiveTheTransactionsOfTheSampleCsv() {
    JobHarness csv = new JobHarness(new TestLake(dir.resolve("csv")).withSampleRaw("transactions", "fx_rates"));
    assertEquals(0, csv.run(new TransactionEtl()).exitCode(), csv.stderr());
    JobHarness jdbc = jobs("jdbc");
    JobOutcome outcome = jdbc.run(new TransactionEtl(), "--transactions-source", "jdbc");
    assertEquals(0, outcome.exitCode(), jdbc.stderr());

    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(290, m.getRowsRead());
    assertEquals(290, m.getRowsWritten());
    assertEquals(0, m.getRowsRejected());
    // One unit per order date; one sample order is from 2024-12-31 (delivered late in the CSV).
    assertEquals(List.of("stg_core/order_items/date=2024-12-31", "stg_core/order_items/date=2025-01-01",
            "stg_core/order_items/date=2025-01-02",
            "stg_core/order_items/date=2025-01-03"),
        m.getInputFiles().stream().map(RunManifest.InputFileEntry::path).toList());
    Dataset<Row> fromDb = jdbc.read("processed/transactions");
    Dataset<Row> fromCsv = csv.read("processed/transactions");
    // The sample's stg_core holds the first version of the two transactions the CSV re-sends later with a
    // new time (and status); every other transaction is the same from both sources.
    Dataset<Row> resent = csv.read("quarantine/transactions").filter("reject_reason = 'duplicate'")
        .select("transaction_id").distinct();
    assertEquals(2, resent.count());
    Dataset<Row> csvNotResent = fromCsv.join(resent, fromCsv.col("transaction_id").equalTo(resent.col("transaction_id")),
        "left_anti");
    assertEquals(0, csvNotResent.selectExpr(SHARED).exceptAll(fromDb.selectExpr(SHARED)).count());
    Dataset<Row> onlyInDb = fromDb.selectExpr(SHARED).exceptAll(fromCsv.selectExpr(SHARED));
    assertSameRows(fromCsv.join(resent, fromCsv.col("transaction_id").equalTo(resent.col("transaction_id")), "left_semi")
        .select("customer_id", "product_id", "quantity"), onlyInDb.select("customer_id", "product_id", "quantity"));
    // The same e-mail gives the same hash: the PII path is shared too.
    Dataset<Row> csvHashes = csvNotResent.filter("customer_email_hash is not null")
        .selectExpr("customer_id as c", "transaction_ts as t", "customer_email_hash as csv_hash");
    Dataset<Row> pairs = csvHashes.join(fromDb, csvHashes.col("c").equalTo(fromDb.col("customer_id"))
        .and(csvHashes.col("t").equalTo(fromDb.col("transaction_ts"))));
    assertEquals(csvHashes.count(), pairs.count());
    assertTrue(csvHashes.count() > 200, "rows with an e-mail: " + csvHashes.count());
    assertEquals(0, pairs.filter("csv_hash <> customer_email_hash").count());
    assertEquals(0, fromDb.filter("net_amount <> gross_amount or discount_amount <> 0 or tax_amount <> 0"
        + " or payment_method is not null or shipping_country is not null").count());
    assertEquals(1, fromDb.filter("transaction_id = '1' and source_file = 'stg_core/order_items/date=2025-01-01'")
        .count());
  }

  @Test
  void badItemsAreQuarantinedWithTheirReasonAndARerunKeepsOnlyTheLatestVersion() {
    db.execute("INSERT INTO order_items VALUES (5000, 99999, 'P00001', 1, 10.00, '2025-01-02 10:00:00');"
        + " UPDATE order_items SET quantity = 0 WHERE id = 3;");
    JobHarness jobs = jobs("lake");
    JobOutcome first = jobs.run(new TransactionEtl(), "--transactions-source", "jdbc");
    assertEquals(0, first.exitCode(), jobs.stderr());
    assertEquals(Map.of("non_positive_quantity", 1L, "order_not_found", 1L),
        first.manifest().orElseThrow().getRejectedByReason());
    assertSameRows(jobs.read("quarantine/transactions").sparkSession().sql("select * from values"
            + " ('3', 'non_positive_quantity', 'stg_core/order_items/date=2025-01-01', '2025-01-01'),"
            + " ('5000', 'order_not_found', 'stg_core/order_items/date=2025-01-02', '2025-01-02')"
            + " as t(transaction_id, reject_reason, source_file, date)"),
        jobs.read("quarantine/transactions").selectExpr("transaction_id", "reject_reason", "source_file",
            "cast(date as string) as date"));

    // The item is fixed and order 1 is refunded; --run-date reads the orders of that day only.
    db.execute("UPDATE order_items SET quantity = 2 WHERE id = 3; UPDATE orders SET status = 'refunded' WHERE id = 1;");
    JobOutcome rerun = jobs.run(new TransactionEtl(), "--transactions-source", "jdbc", "--run-date", "2025-01-01");
    assertEquals(0, rerun.exitCode(), jobs.stderr());
    RunManifest m = rerun.manifest().orElseThrow();
    assertEquals(List.of("stg_core/order_items/date=2025-01-01"),
        m.getInputFiles().stream().map(RunManifest.InputFileEntry::path).toList());
    assertEquals(0, m.getRowsRejected());
    Dataset<Row> processed = jobs.read("processed/transactions");
    assertEquals(290, processed.count());
    assertEquals(290, processed.select("transaction_id").distinct().count());
    assertEquals("refunded", processed.filter("transaction_id = '1'").first().getAs("status"));
    assertEquals(2, (int) processed.filter("transaction_id = '3'").first().getAs("quantity"));
    assertTrue(Files.notExists(dir.resolve("lake/quarantine/transactions/date=2025-01-01")));
  }

  @Test
  void anItemWithNoTimeAtAllIsQuarantinedUnderAUnitOfItsOwn() {
    // Its order missing and its own updated_at NULL: no date to read it under. It failed the run before.
    db.execute("ALTER TABLE order_items MODIFY updated_at DATETIME NULL;"
        + " INSERT INTO order_items VALUES (5001, 99999, 'P00001', 1, 10.00, NULL);");
    JobHarness jobs = jobs("lake");
    JobOutcome run = jobs.run(new TransactionEtl(), "--transactions-source", "jdbc");
    assertEquals(0, run.exitCode(), jobs.stderr());
    assertEquals(291, run.manifest().orElseThrow().getRowsRead());
    assertEquals(Map.of("order_not_found", 1L), run.manifest().orElseThrow().getRejectedByReason());
    assertSameRows(jobs.read("quarantine/transactions").sparkSession().sql("select * from values"
            + " ('5001', 'order_not_found', 'stg_core/order_items/date=undated', 'undated')"
            + " as t(transaction_id, reject_reason, source_file, date)"),
        jobs.read("quarantine/transactions").selectExpr("transaction_id", "reject_reason", "source_file",
            "cast(date as string) as date"));
    assertEquals(290, jobs.read("processed/transactions").count());
  }

  @Test
  void aReadInIdRangesGivesExactlyTheRowsOfASingleRead() throws Exception {
    JobHarness parallel = jobs("parallel");
    JobHarness single = jobs("single");
    Path oneRange = dir.resolve("single.conf");
    Files.writeString(oneRange, "shoplake.stg-core.partitions = 1\n");
    assertEquals(0, parallel.run(new TransactionEtl(), "--transactions-source", "jdbc").exitCode(), parallel.stderr());
    assertEquals(0, single.run(new TransactionEtl(), "--transactions-source", "jdbc", "--config-file",
        oneRange.toString()).exitCode(), single.stderr());
    assertSameRows(single.read("processed/transactions").drop("run_id", "ingested_at"),
        parallel.read("processed/transactions").drop("run_id", "ingested_at"));
  }

  @Test
  void aWrongSourceSettingIsAOneLineUsageError() {
    JobHarness jobs = jobs("lake");
    assertEquals(2, jobs.run(new TransactionEtl(), "--transactions-source", "parquet").exitCode());
    assertEquals("ERROR transactions: Cannot use shoplake.transactions.source 'parquet': expected csv or jdbc",
        jobs.stderr().trim());
  }
}
