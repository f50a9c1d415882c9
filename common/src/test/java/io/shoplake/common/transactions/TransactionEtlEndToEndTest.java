package io.shoplake.common.transactions;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.FileTrees;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction ETL on a temporary lake: output rows, partitions, quarantine, manifest, reruns. */
class TransactionEtlEndToEndTest {
  private static final Map<String, String> ENV = Map.of("ETL_PII_HASH_KEY", "test-key");
  private static final String BUSINESS_COLUMNS =
      "transaction_id, quantity, gross_amount, net_amount, usd_rate, net_amount_usd, missing_fx_rate, status,"
          + " cast(transaction_ts as string) as ts, year, month, day, hour, source_file";

  @TempDir Path dir;
  private TestLake lake;
  private final SparkSession spark = SharedSpark.get();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void rawZone() {
    lake = new TestLake(dir.resolve("lake"));
    lake.writeFxRates("2025-01-01", "fx.csv", List.of("2025-01-01,USD,1", "2025-01-01,EUR,1.10",
        "2025-01-16,EUR,1.20", "2025-01-16,EUR,not-a-rate"));
    lake.writeTransactions("2025-01-15", "a.csv", List.of(
        "T1,C1,P1,2,10.00,1.00,0.50,USD,card,completed,2025-01-15T10:00:00Z, Ann@Shop.com ,US",
        "T2,C2,P2,1,100.00,,,eur,paypal,Completed,2025-01-15 23:30:00,,de",
        "T3,C3,P1,1,5.00,0,0,USD,card,pending,2025-01-15T09:00:00Z,,",
        "T3,C3,P1,1,5.00,0,0,USD,card,completed,2025-01-15T11:00:00Z,,",
        "T4,C4,P1,0,5.00,0,0,USD,card,completed,2025-01-15T12:00:00Z,,",
        "T5,C5,P1,1,5.00,0,0,US,card,completed,2025-01-15T12:00:00Z,,",
        "T6,C6,P1,1,5.00,0,0,USD,card,completed,2025-01-15T12:00:00Z,,,extra,fields",
        "T7,C7,P3,3,1.99,0,0,USD,card,completed,2025-01-14T22:00:00+00:00,,",
        "T8,C8,P3,1,1000,0,0,JPY,card,completed,2025-01-15T01:00:00+09:00,,JP"));
    lake.writeTransactions("2025-01-16", "b.csv", List.of(
        "T9,C9,P2,2,50.00,0,10.00,EUR,card,completed,2025-01-16T08:00:00Z,ann@shop.com,FR",
        "T1,C1,P1,2,10.00,1.00,0.50,USD,card,refunded,2025-01-16T09:00:00Z,ann@shop.com,US"));
  }

  private JobOutcome run(String... extraArgs) {
    return run(lake, extraArgs);
  }

  private JobOutcome run(TestLake target, String... extraArgs) {
    out.reset();
    err.reset();
    JobRunner runner = new JobRunner(ENV, config -> id -> { throw new AssertionError("no secrets in tests"); },
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String[] args = new String[extraArgs.length + 4];
    args[0] = "--lake-root";
    args[1] = target.uri();
    args[2] = "--JOB_NAME";
    args[3] = "test-transactions";
    System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
    return runner.run(new TransactionEtl(), args);
  }

  private Dataset<Row> processed() {
    return spark.read().parquet(lake.root().resolve("processed/transactions").toString());
  }

  private Dataset<Row> expectedProcessed() {
    return spark.sql("select * from values"
        + " ('T1', 2, 20.00BD, 19.50BD, 1.00000000BD, 19.5000000000BD, false, 'refunded', '2025-01-16 09:00:00', 2025, 1, 16, 9, 'raw/transactions/date=2025-01-16/b.csv'),"
        + " ('T2', 1, 100.00BD, 100.00BD, 1.10000000BD, 110.0000000000BD, false, 'completed', '2025-01-15 23:30:00', 2025, 1, 15, 23, 'raw/transactions/date=2025-01-15/a.csv'),"
        + " ('T3', 1, 5.00BD, 5.00BD, 1.00000000BD, 5.0000000000BD, false, 'completed', '2025-01-15 11:00:00', 2025, 1, 15, 11, 'raw/transactions/date=2025-01-15/a.csv'),"
        + " ('T7', 3, 5.97BD, 5.97BD, 1.00000000BD, 5.9700000000BD, false, 'completed', '2025-01-14 22:00:00', 2025, 1, 14, 22, 'raw/transactions/date=2025-01-15/a.csv'),"
        + " ('T8', 1, 1000.00BD, 1000.00BD, cast(null as decimal(18,8)), cast(null as decimal(37,10)), true, 'completed', '2025-01-14 16:00:00', 2025, 1, 14, 16, 'raw/transactions/date=2025-01-15/a.csv'),"
        + " ('T9', 2, 100.00BD, 110.00BD, 1.20000000BD, 132.0000000000BD, false, 'completed', '2025-01-16 08:00:00', 2025, 1, 16, 8, 'raw/transactions/date=2025-01-16/b.csv')"
        + " as t(transaction_id, quantity, gross_amount, net_amount, usd_rate, net_amount_usd, missing_fx_rate, status, ts, year, month, day, hour, source_file)")
        .selectExpr("transaction_id", "quantity", "cast(gross_amount as decimal(18,2)) gross_amount",
            "cast(net_amount as decimal(18,2)) net_amount", "cast(usd_rate as decimal(18,8)) usd_rate",
            "cast(net_amount_usd as decimal(37,10)) net_amount_usd", "missing_fx_rate", "status", "ts",
            "year", "month", "day", "hour", "source_file");
  }

  @Test
  void writesValidRowsQuarantinesTheRestAndAccountsForEveryRow() throws Exception {
    JobOutcome outcome = run();
    assertEquals(0, outcome.exitCode(), err.toString());

    assertSameRows(expectedProcessed(), processed().selectExpr(BUSINESS_COLUMNS.split(",\\s*(?![^()]*\\))")));
    assertEquals(List.of("day=14", "day=15", "day=16"), listDirs("processed/transactions/year=2025/month=1"));

    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals("succeeded", m.getStatus());
    assertEquals("test-transactions", m.getGlueJobName());
    assertEquals(11, m.getRowsRead());
    assertEquals(6, m.getRowsWritten());
    assertEquals(5, m.getRowsRejected());
    assertEquals(new TreeMap<>(Map.of("duplicate", 2L, "non_positive_quantity", 1L, "invalid_currency", 1L,
        "malformed_row", 1L)), m.getRejectedByReason());
    assertEquals(List.of("year=2025/month=1/day=14", "year=2025/month=1/day=15", "year=2025/month=1/day=16"),
        m.getOutputPartitions());
    assertEquals(1L, ((Number) m.getMetrics().get("rows_missing_fx_rate")).longValue());
    assertEquals(2, m.getInputFiles().size());
    assertTrue(Files.exists(dir.resolve("lake/_runs/transactions/" + m.getRunId() + ".json")));

    Dataset<Row> quarantine = spark.read().parquet(lake.root().resolve("quarantine/transactions").toString());
    assertSameRows(
        spark.sql("select * from values ('T1', 'duplicate', '2025-01-15'), ('T3', 'duplicate', '2025-01-15'),"
            + " ('T4', 'non_positive_quantity', '2025-01-15'), ('T5', 'invalid_currency', '2025-01-15'),"
            + " ('T6', 'malformed_row', '2025-01-15') as q(transaction_id, reject_reason, date)"),
        quarantine.selectExpr("transaction_id", "reject_reason", "cast(date as string) date"));
    // Original fields are kept as read (T3's losing version was 'pending').
    assertEquals("pending", quarantine.filter("transaction_id = 'T3'").first().getAs("status"));
    assertEquals(m.getRunId(), quarantine.first().getAs("run_id"));
    Row fxReject = spark.read().parquet(lake.root().resolve("quarantine/fx_rates").toString()).first();
    assertEquals("invalid_usd_rate", fxReject.getAs("reject_reason"));
  }

  /**
   * Without the cache every action recomputes the rows from the CSV: the counts must not change. (With
   * Spark's CSV column pruning on, the line with extra fields counted as malformed in one query and
   * valid in another.)
   */
  @Test
  void recomputingInsteadOfCachingGivesTheSameCounts() throws Exception {
    Path conf = dir.resolve("no-cache.conf");
    Files.writeString(conf, "shoplake.transactions.persist-level = NONE\n");
    JobOutcome outcome = run("--config-file", conf.toString());
    assertEquals(0, outcome.exitCode(), err.toString());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(11, m.getRowsRead());
    assertEquals(6, m.getRowsWritten());
    assertEquals(1L, m.getRejectedByReason().get("malformed_row"));
    assertSameRows(expectedProcessed(), processed().selectExpr(BUSINESS_COLUMNS.split(",\\s*(?![^()]*\\))")));
  }

  /**
   * An input at {@code disk-only-min-input-bytes} or over has its staged rows cached on disk only (the block
   * manager reports blocks at DISK_ONLY) and gives the same rows and counts as the cache in memory.
   */
  @Test
  void aLargeInputCachedOnDiskOnlyGivesTheSameCounts() throws Exception {
    Path conf = dir.resolve("disk-only.conf");
    Files.writeString(conf, "shoplake.transactions.disk-only-min-input-bytes = 1 B\n");
    List<StorageLevel> levels = Collections.synchronizedList(new ArrayList<>());
    SparkListener blocks = new SparkListener() {
      @Override
      public void onBlockUpdated(SparkListenerBlockUpdated update) {
        if (update.blockUpdatedInfo().blockId().isRDD() && update.blockUpdatedInfo().storageLevel().isValid()) {
          levels.add(update.blockUpdatedInfo().storageLevel());
        }
      }
    };
    spark.sparkContext().addSparkListener(blocks);
    try {
      JobOutcome outcome = run("--config-file", conf.toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, outcome.exitCode(), err.toString());
      RunManifest m = outcome.manifest().orElseThrow();
      assertEquals(11, m.getRowsRead());
      assertEquals(6, m.getRowsWritten());
      assertEquals(1L, m.getRejectedByReason().get("malformed_row"));
    } finally {
      spark.sparkContext().removeSparkListener(blocks);
    }
    assertTrue(levels.contains(StorageLevel.DISK_ONLY()), "the staged rows' blocks: " + levels);
    assertSameRows(expectedProcessed(), processed().selectExpr(BUSINESS_COLUMNS.split(",\\s*(?![^()]*\\))")));
  }

  @Test
  void hashesEmailsWithTheKeyAndNormalisesThemFirst() {
    assertEquals(0, run().exitCode(), err.toString());
    List<Row> hashes = processed().filter("transaction_id in ('T1', 'T9')").select("customer_email_hash").collectAsList();
    assertEquals(hashes.get(0).getString(0), hashes.get(1).getString(0), "same address, other spelling");
    assertEquals(64, hashes.get(0).getString(0).length());
    assertTrue(!List.of(processed().columns()).contains("customer_email"));
  }

  @Test
  void rerunningTheSameInputLeavesTheSameRows() {
    assertEquals(0, run().exitCode(), err.toString());
    Dataset<Row> first = processed().drop("run_id", "ingested_at").localCheckpoint();
    // With the bookmark (the default) a rerun finds nothing new and leaves everything as it was.
    JobOutcome unchanged = run();
    assertEquals(0, unchanged.exitCode(), err.toString());
    assertEquals(0, unchanged.manifest().orElseThrow().getRowsRead());
    assertSameRows(first, processed().drop("run_id", "ingested_at"));

    // Without it, every file is read again and replaces its own rows: the same rows, none twice.
    JobOutcome second = run("--bookmark", "disable");
    assertEquals(0, second.exitCode(), err.toString());
    assertSameRows(first, processed().drop("run_id", "ingested_at"));
    assertEquals(6, second.manifest().orElseThrow().getRowsWritten());

    // A rerun of one raw date keeps the rows of the other dates and their newer versions.
    JobOutcome oneDay = run("--run-date", "2025-01-15", "--bookmark", "disable");
    assertEquals(0, oneDay.exitCode(), err.toString());
    assertSameRows(first, processed().drop("run_id", "ingested_at"));
    RunManifest m = oneDay.manifest().orElseThrow();
    assertEquals(9, m.getRowsRead());
    assertEquals(4, m.getRowsWritten());
    assertEquals(2L, ((Number) m.getMetrics().get("rows_carried_over")).longValue());
    assertEquals(Map.of("duplicate", 2L, "non_positive_quantity", 1L, "invalid_currency", 1L, "malformed_row", 1L),
        m.getRejectedByReason());
  }

  @Test
  void aCorrectedFileReplacesItsOldRowsEverywhere() throws Exception {
    assertEquals(0, run().exitCode(), err.toString());
    // b.csv is delivered again, corrected: T9 and T1's newer version are gone, T10 is new.
    lake.writeTransactions("2025-01-16", "b.csv", List.of(
        "T10,C9,P2,1,5.00,0,0,USD,card,completed,2025-01-17T08:00:00Z,,FR"));
    JobOutcome rerun = run("--run-date", "2025-01-16");
    assertEquals(0, rerun.exitCode(), err.toString());
    // T9 and b's T1 are gone, day 16 is emptied. a.csv's older T1 stays in quarantine as a duplicate:
    // a run of one date does not reread other dates' files.
    assertSameRows(
        spark.sql("select * from values ('T2', 15, 'raw/transactions/date=2025-01-15/a.csv'),"
            + " ('T3', 15, 'raw/transactions/date=2025-01-15/a.csv'),"
            + " ('T7', 14, 'raw/transactions/date=2025-01-15/a.csv'), ('T8', 14, 'raw/transactions/date=2025-01-15/a.csv'),"
            + " ('T10', 17, 'raw/transactions/date=2025-01-16/b.csv') as t(transaction_id, day, source_file)"),
        processed().select("transaction_id", "day", "source_file"));
    assertEquals(List.of("day=14", "day=15", "day=17"), listDirs("processed/transactions/year=2025/month=1"));

    // Rerunning everything brings a.csv's T1 back: it is no longer superseded.
    assertEquals(0, run("--bookmark", "reset").exitCode(), err.toString());
    assertEquals(1, processed().filter("transaction_id = 'T1' and day = 15").count());
    assertEquals(6, processed().count());
  }

  /**
   * A later file replaces rows an earlier run processed (a.csv's T1 and T3 by b.csv's and c.csv's): their older
   * versions go to quarantine as a run over every file puts them, so the lake built a date at a time equals the
   * lake built at once. Also when the run is killed after the quarantine's rewrite and before the processed
   * write: processed/ and the bookmark of before the run are put back, and the rerun gives the same lake.
   */
  @Test
  void rowsThatALaterFileReplacesGoToQuarantineAsInARunOverEveryFile() throws Exception {
    lake.writeTransactions("2025-01-16", "c.csv", List.of(
        "T3,C3,P1,1,5.00,0,0,USD,card,refunded,2025-01-16T12:00:00Z,,"));
    TestLake whole = new TestLake(dir.resolve("whole"));
    FileTrees.copy(lake.root().resolve("raw"), whole.root().resolve("raw"));
    assertEquals(0, run(whole).exitCode(), err.toString());

    assertEquals(0, run("--run-date", "2025-01-15").exitCode(), err.toString());
    Path before = dir.resolve("before");
    FileTrees.copy(lake.root().resolve("processed"), before.resolve("processed"));
    FileTrees.copy(lake.root().resolve("_state/transactions"), before.resolve("state"));
    JobOutcome later = run("--run-date", "2025-01-16");
    assertEquals(0, later.exitCode(), err.toString());
    assertSameRows(
        spark.sql("select * from values ('T1', 'completed', 'duplicate', '2025-01-15'),"
            + " ('T3', 'pending', 'duplicate', '2025-01-15'), ('T3', 'completed', 'duplicate', '2025-01-15'),"
            + " ('T4', 'completed', 'non_positive_quantity', '2025-01-15'),"
            + " ('T5', 'completed', 'invalid_currency', '2025-01-15'), ('T6', 'completed', 'malformed_row', '2025-01-15')"
            + " as q(transaction_id, status, reject_reason, date)"),
        quarantineOf(lake).selectExpr("transaction_id", "status", "reject_reason", "cast(date as string) date"));
    assertSameLake(whole, lake);
    RunManifest m = later.manifest().orElseThrow();
    assertEquals(2L, ((Number) m.getMetrics().get("rows_superseded")).longValue());
    assertEquals(List.of("2025-01-15"), m.getMetrics().get("superseded_quarantine_dates"));
    assertEquals(0, m.getRowsRejected(), "the rows of a.csv are not this run's rejects");

    FileTrees.delete(lake.root().resolve("processed"));
    FileTrees.delete(lake.root().resolve("_state/transactions"));
    FileTrees.copy(before.resolve("processed"), lake.root().resolve("processed"));
    FileTrees.copy(before.resolve("state"), lake.root().resolve("_state/transactions"));
    assertEquals(0, run("--run-date", "2025-01-16").exitCode(), err.toString());
    assertSameLake(whole, lake);
  }

  /** A replaced row whose file has left the raw zone: a run over every file has no row of it to quarantine. */
  @Test
  void aReplacedRowWhoseFileIsGoneHasNothingToQuarantine() throws Exception {
    assertEquals(0, run("--run-date", "2025-01-15").exitCode(), err.toString());
    List<Row> before = quarantineOf(lake).collectAsList();
    Files.delete(lake.root().resolve("raw/transactions/date=2025-01-15/a.csv"));
    JobOutcome later = run("--run-date", "2025-01-16");
    assertEquals(0, later.exitCode(), err.toString());
    RunManifest m = later.manifest().orElseThrow();
    assertEquals(1L, ((Number) m.getMetrics().get("rows_superseded")).longValue());
    assertEquals(List.of(), m.getMetrics().get("superseded_quarantine_dates"));
    assertSameRows(spark.createDataFrame(before, quarantineOf(lake).schema()),
        quarantineOf(lake).filter("date = '2025-01-15'"));
  }

  private Dataset<Row> quarantineOf(TestLake target) {
    return spark.read().parquet(target.root().resolve("quarantine/transactions").toString()).drop("run_id");
  }

  private void assertSameLake(TestLake expected, TestLake actual) {
    assertSameRows(quarantineOf(expected), quarantineOf(actual));
    assertSameRows(spark.read().parquet(expected.root().resolve("processed/transactions").toString())
            .drop("run_id", "ingested_at"),
        spark.read().parquet(actual.root().resolve("processed/transactions").toString()).drop("run_id", "ingested_at"));
  }

  @Test
  void aFileWithAUtf8ByteOrderMarkIsRead() throws Exception {
    Path file = lake.root().resolve("raw/transactions/date=2025-01-17/bom.csv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "\uFEFF" + TestLake.TRANSACTIONS_HEADER + "\n"
        + "T20,C1,P1,1,5.00,0,0,USD,card,completed,2025-01-17T10:00:00Z,,US\n", StandardCharsets.UTF_8);
    JobOutcome outcome = run("--run-date", "2025-01-17");
    assertEquals(0, outcome.exitCode(), err.toString());
    assertEquals(1, outcome.manifest().orElseThrow().getRowsWritten());
  }

  @Test
  void columnsAreReadByHeaderNameInAnyOrderAndExtraColumnsAreLeftOut() {
    lake.writeRaw("transactions", "2025-01-18", "swapped.csv",
        TestLake.TRANSACTIONS_HEADER.replace("customer_id,product_id", "product_id,customer_id") + ",note",
        List.of("T21,P1,C1,1,5.00,0,0,USD,card,completed,2025-01-18T10:00:00Z,,US,hello"));
    JobOutcome outcome = run("--run-date", "2025-01-18");
    assertEquals(0, outcome.exitCode(), err.toString());
    Row row = processed().filter("transaction_id = 'T21'").first();
    assertEquals("C1", row.getAs("customer_id"));
    assertEquals("P1", row.getAs("product_id"));
  }

  @Test
  void aFileWhoseHeaderLacksAContractColumnIsQuarantinedAndTheRunGoesOn() throws Exception {
    lake.writeRaw("transactions", "2025-01-19", "short.csv",
        TestLake.TRANSACTIONS_HEADER.replace(",shipping_country", ""),
        List.of("T22,C1,P1,1,5.00,0,0,USD,card,completed,2025-01-19T10:00:00Z,"));
    lake.writeTransactions("2025-01-19", "good.csv",
        List.of("T23,C1,P1,1,5.00,0,0,USD,card,completed,2025-01-19T10:00:00Z,,US"));
    JobOutcome outcome = run("--run-date", "2025-01-19");
    assertEquals(0, outcome.exitCode(), err.toString());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(1, m.getRowsWritten());
    assertTrue(m.getWarnings().stream().anyMatch(w -> w.startsWith("not read: raw/transactions/date=2025-01-19/short.csv"
        + " failed the file checks (missing_columns: the header lacks [\"shipping_country\"]")), m.getWarnings().toString());
    java.nio.file.Path reason = lake.root().resolve("quarantine/_files/transactions/date=2025-01-19/short.csv.reason.json");
    assertTrue(java.nio.file.Files.readString(reason).contains("\"missing_columns\""));
  }

  @Test
  void aRunDateWithoutFilesSucceedsWithAWarning() {
    JobOutcome outcome = run("--run-date", "2030-01-01");
    assertEquals(0, outcome.exitCode(), err.toString());
    assertEquals(0, outcome.manifest().orElseThrow().getRowsRead());
    assertTrue(out.toString().contains("no input files"), out.toString());
  }

  @Test
  void aMissingRawFolderFailsWithOneLineAndAFailedManifest() {
    lake = new TestLake(dir.resolve("empty-lake"));
    JobOutcome outcome = run();
    assertEquals(1, outcome.exitCode());
    String stderr = err.toString().trim();
    assertTrue(stderr.startsWith("ERROR transactions run ") && stderr.contains("Cannot read transactions: no folder"),
        stderr);
    assertEquals(1, stderr.lines().count(), stderr);
    assertEquals("failed", outcome.manifest().orElseThrow().getStatus());
  }

  @Test
  void aBadArgumentIsAUsageErrorBeforeSparkWork() {
    JobOutcome outcome = run("--run-date", "2025-13-45");
    assertEquals(2, outcome.exitCode());
    assertEquals("ERROR transactions: Cannot use --run-date '2025-13-45': expected a calendar date YYYY-MM-DD",
        err.toString().trim());
  }

  @Test
  void aLakeRootWithoutAFileSystemIsAUsageError() {
    JobRunner runner = new JobRunner(ENV, config -> id -> "unused",
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    JobOutcome outcome = runner.run(new TransactionEtl(), "--lake-root", "nofs://bucket/lake");
    assertEquals(2, outcome.exitCode());
    assertEquals("ERROR transactions: Cannot use lake root 'nofs://bucket/lake': UnsupportedFileSystemException:"
        + " No FileSystem for scheme \"nofs\"", err.toString().trim());
  }

  private List<String> listDirs(String relative) throws Exception {
    try (var stream = Files.list(lake.root().resolve(relative))) {
      return stream.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_") && !n.startsWith("."))
          .sorted().toList();
    }
  }
}
