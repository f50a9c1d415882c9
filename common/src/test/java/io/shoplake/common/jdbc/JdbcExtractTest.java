package io.shoplake.common.jdbc;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SecretsManagerStandIn;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.common.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jdbc-extract against a real MySQL-compatible server (embedded MariaDB, or STG_CORE_TEST_JDBC_URL). */
class JdbcExtractTest {
  @TempDir Path dir;
  private StgCoreDatabase db;

  @BeforeEach
  void sample() {
    db = StgCoreDatabase.get().resetToSample();
  }

  private Map<String, String> env() {
    return Map.of("STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", db.password());
  }

  private static Map<String, Object> tableMetrics(JobOutcome outcome, String table) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) outcome.manifest().orElseThrow().getMetrics().get(table);
    return m;
  }

  private static Dataset<Row> orders(JobHarness jobs) {
    return jobs.read("processed/stg_core/orders").selectExpr("id", "status", "cast(updated_at as string) as updated_at",
        "year", "month", "day");
  }

  @Test
  void zeroDatesReadAsNullAndAZeroUpdatedAtGoesToQuarantineUntilAWholeReadWithoutIt() throws IOException {
    // Legacy MySQL rows: Connector/J's default failed the whole read at the first zero date.
    db.execute("SET SESSION sql_mode = '';"
        + " UPDATE orders SET created_at = '0000-00-00 00:00:00' WHERE id = 1;"
        + " UPDATE orders SET updated_at = '0000-00-00 00:00:00' WHERE id IN (2, 3);"
        // MySQL's smallest DATETIME, another legacy placeholder: Spark refused by default to write it to Parquet.
        + " UPDATE orders SET created_at = '1000-01-01 00:00:00' WHERE id = 4;");
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    JobOutcome first = jobs.run(new JdbcExtract());
    assertEquals(0, first.exitCode(), jobs.stderr());
    RunManifest m = first.manifest().orElseThrow();
    assertEquals(640, m.getRowsRead());
    assertEquals(638, m.getRowsWritten());
    assertEquals(Map.of("zero_updated_at", 2L), m.getRejectedByReason());
    assertEquals(288, jobs.read("processed/stg_core/orders").count());
    assertEquals(1, jobs.read("processed/stg_core/orders").filter("id = 1 and created_at is null").count());
    assertEquals(1, jobs.read("processed/stg_core/orders")
        .filter("id = 4 and created_at = timestamp'1000-01-01 00:00:00'").count());
    Dataset<Row> quarantined = jobs.read("quarantine/stg_core/orders");
    assertEquals(List.of(2L, 3L), quarantined.orderBy("id").select("id").as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList());
    assertEquals(2, quarantined.filter("reject_reason = 'zero_updated_at' and updated_at is null").count());

    // A table whose every row is zero-dated: nothing written, its watermark stays none, the run succeeds.
    db.execute("SET SESSION sql_mode = ''; UPDATE customers SET updated_at = '0000-00-00 00:00:00';");
    JobOutcome allZero = jobs.run(new JdbcExtract(), "--full-reload", "customers");
    assertEquals(0, allZero.exitCode(), jobs.stderr());
    assertEquals(60L, ((Number) tableMetrics(allZero, "customers").get("rows_zero_updated_at")).longValue());
    assertEquals(60, jobs.read("quarantine/stg_core/customers").filter("email_hash is not null").count());
    try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("lake/processed/stg_core/customers"))) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".parquet")).count(), "rebuilt from no dated row");
    }

    // Fixed at the source; a whole read of the table takes them and leaves no quarantine behind.
    db.execute("UPDATE orders SET updated_at = '2025-02-01 08:00:00' WHERE id IN (2, 3);");
    JobOutcome reload = jobs.run(new JdbcExtract(), "--full-reload", "orders");
    assertEquals(0, reload.exitCode(), jobs.stderr());
    assertEquals(290, jobs.read("processed/stg_core/orders").count());
    assertFalse(Files.exists(dir.resolve("lake/quarantine/stg_core/orders")));
  }

  @Test
  void aFullLoadThenOnlyChangedRowsInTheirLatestStateAndAnEmptyBatchKeepsTheWatermark() throws IOException {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    JobOutcome first = jobs.run(new JdbcExtract());
    assertEquals(0, first.exitCode(), jobs.stderr());
    assertEquals(640, first.manifest().orElseThrow().getRowsRead());
    assertEquals(290, jobs.read("processed/stg_core/orders").count());
    assertEquals(60, jobs.read("processed/stg_core/customers").count());
    assertFalse(java.util.List.of(jobs.read("processed/stg_core/customers").columns()).contains("email"));
    assertEquals(60, jobs.read("processed/stg_core/customers").filter("email_hash is not null").count());

    // Order 1 changes once (to a later day), order 2 twice, and a new order arrives.
    db.execute("UPDATE orders SET status = 'refunded', updated_at = '2025-02-01 08:00:00' WHERE id = 1;"
        + " UPDATE orders SET status = 'pending', updated_at = '2025-02-01 09:00:00' WHERE id = 2;"
        + " UPDATE orders SET status = 'cancelled', updated_at = '2025-02-01 10:00:00' WHERE id = 2;"
        + " INSERT INTO orders VALUES (1000, 'C0000001', 'completed', 'USD', 12.50, '2025-02-01 11:00:00',"
        + " '2025-02-01 11:00:00');");
    JobOutcome second = jobs.run(new JdbcExtract());
    assertEquals(0, second.exitCode(), jobs.stderr());
    assertEquals(3L, ((Number) tableMetrics(second, "orders").get("rows")).longValue());
    assertEquals(0L, ((Number) tableMetrics(second, "customers").get("rows")).longValue());
    assertEquals(291, jobs.read("processed/stg_core/orders").count());
    assertSameRows(SharedSpark.get().sql("select * from values"
            + " (1L, 'refunded', '2025-02-01 08:00:00', 2025, 2, 1), (2L, 'cancelled', '2025-02-01 10:00:00', 2025, 2, 1),"
            + " (1000L, 'completed', '2025-02-01 11:00:00', 2025, 2, 1) as t(id, status, updated_at, year, month, day)"),
        orders(jobs).filter("id in (1, 2, 1000)"));
    String watermark = Files.readString(dir.resolve("lake/_state/jdbc-extract/orders.json"));
    assertTrue(watermark.contains("2025-02-01T11:00") && watermark.contains("\"1000\""), watermark);

    JobOutcome third = jobs.run(new JdbcExtract());
    assertEquals(0, third.exitCode(), jobs.stderr());
    assertEquals(0, third.manifest().orElseThrow().getRowsRead());
    assertEquals(watermark, Files.readString(dir.resolve("lake/_state/jdbc-extract/orders.json")));
  }

  @Test
  void aFailureBetweenWriteAndCommitLeavesTheWatermarkAndTheRerunEqualsAnUninterruptedRun() throws IOException {
    JobHarness interrupted = new JobHarness(new TestLake(dir.resolve("interrupted")), env());
    JobHarness uninterrupted = new JobHarness(new TestLake(dir.resolve("uninterrupted")), env());
    assertEquals(0, interrupted.run(new JdbcExtract()).exitCode(), interrupted.stderr());
    assertEquals(0, uninterrupted.run(new JdbcExtract()).exitCode(), uninterrupted.stderr());
    String before = Files.readString(dir.resolve("interrupted/_state/jdbc-extract/orders.json"));

    db.execute("UPDATE orders SET status = 'refunded', updated_at = '2025-03-01 00:00:00' WHERE id IN (5, 6);");
    JobOutcome failed = interrupted.run(new JdbcExtract(() -> {
      throw new IllegalStateException("injected failure before the watermark commit");
    }));
    assertEquals(1, failed.exitCode());
    assertTrue(interrupted.stderr().contains("injected failure"), interrupted.stderr());
    assertEquals(before, Files.readString(dir.resolve("interrupted/_state/jdbc-extract/orders.json")));

    assertEquals(0, interrupted.run(new JdbcExtract()).exitCode(), interrupted.stderr());
    assertEquals(0, uninterrupted.run(new JdbcExtract()).exitCode(), uninterrupted.stderr());
    assertSameRows(orders(uninterrupted), orders(interrupted));
    assertEquals(Files.readString(dir.resolve("uninterrupted/_state/jdbc-extract/orders.json")),
        Files.readString(dir.resolve("interrupted/_state/jdbc-extract/orders.json")));
  }

  @Test
  void aDatabaseThatIsDownIsRetriedThenFailsWithOneLineThatNeverShowsThePassword() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), Map.of(
        "STG_CORE_JDBC_URL", "jdbc:mysql://127.0.0.1:" + closedPort + "/stg_core?connectTimeout=2000",
        "STG_CORE_USER", "reader", "STG_CORE_PASSWORD", "not-the-password-x9"));
    Path fastRetries = dir.resolve("retries.conf");
    Files.writeString(fastRetries, "shoplake.stg-core { retry-attempts = 3, retry-initial-backoff = 20ms }\n");
    long started = System.nanoTime();
    JobOutcome outcome = jobs.run(new JdbcExtract(), "--config-file", fastRetries.toString());
    assertEquals(1, outcome.exitCode());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    assertTrue(jobs.stderr().contains("Cannot read the bounds of stg_core.customers at jdbc:mysql://127.0.0.1:"
        + closedPort + "/stg_core?connectTimeout=2000 after 3 attempts: "), jobs.stderr());
    // Two waits: between 10 and 20 ms, then between 20 and 40 ms.
    assertTrue((System.nanoTime() - started) / 1_000_000 >= 30);
    assertFalse(jobs.stderr().contains("not-the-password-x9") || jobs.stdout().contains("not-the-password-x9"));
    RunManifest m = outcome.manifest().orElseThrow();
    assertFalse(m.getError().contains("not-the-password-x9") || m.getErrorDetail().contains("not-the-password-x9"));
    assertEquals(List.of(), filesUnder(dir.resolve("lake/_state/jdbc-extract")), "no watermark, no lock left behind");
  }

  @Test
  void aWrongPasswordFailsAtOnceWithOneLineThatNeverShowsIt() throws IOException {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), Map.of("STG_CORE_JDBC_URL", db.jdbcUrl(),
        "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", "wrong-password-q7"));
    JobOutcome outcome = jobs.run(new JdbcExtract());
    assertEquals(1, outcome.exitCode());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    // Not retried: retrying cannot fix a password, and repeated failures can lock an account.
    assertTrue(jobs.stderr().contains("Cannot read the bounds of stg_core.customers at " + db.jdbcUrl() + ": Access denied"),
        jobs.stderr());
    assertFalse(jobs.stderr().contains("attempts"), jobs.stderr());
    assertFalse(jobs.stderr().contains("wrong-password-q7") || jobs.stdout().contains("wrong-password-q7"));
    RunManifest m = outcome.manifest().orElseThrow();
    assertFalse(m.getError().contains("wrong-password-q7") || m.getErrorDetail().contains("wrong-password-q7"));
    assertEquals(List.of(), filesUnder(dir.resolve("lake/_state/jdbc-extract")), "no watermark, no lock left behind");
  }

  @Test
  void thePasswordCanComeFromSecretsManagerAndIsNeverWrittenDown() throws IOException {
    try (SecretsManagerStandIn secrets = new SecretsManagerStandIn(Map.of("local/stg-core/reader", db.password()))) {
      Path conf = dir.resolve("secrets.conf");
      Files.writeString(conf, "shoplake.aws { region = \"eu-west-1\", secrets-manager-endpoint = \""
          + secrets.endpoint() + "\" }\nshoplake.stg-core.password-secret-id = \"local/stg-core/reader\"\n");
      JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")),
          Map.of("STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user())).usingSecretsManager();
      JobOutcome outcome = jobs.run(new JdbcExtract(), "--config-file", conf.toString());
      assertEquals(0, outcome.exitCode(), jobs.stderr());
      assertEquals(640, outcome.manifest().orElseThrow().getRowsRead());
      assertEquals(List.of("secretsmanager.GetSecretValue"), secrets.targets());
      assertTrue(secrets.bodies().get(0).contains("local/stg-core/reader"));
      String manifest;
      try (java.util.stream.Stream<Path> runs = Files.list(dir.resolve("lake/_runs/jdbc-extract"))) {
        // Hadoop's checksum files (.<name>.crc) sit next to the manifest.
        manifest = Files.readString(runs.filter(f -> f.getFileName().toString().matches("[^.].*\\.json"))
            .findFirst().orElseThrow());
      }
      assertFalse(manifest.contains(db.password()) || jobs.stdout().contains(db.password())
          || jobs.stderr().contains(db.password()));
    }
  }

  @Test
  void aParallelExtractWritesExactlyTheRowsOfASingleRead() throws IOException {
    JobHarness parallel = new JobHarness(new TestLake(dir.resolve("parallel")), env());
    JobHarness single = new JobHarness(new TestLake(dir.resolve("single")), env());
    Path oneRange = dir.resolve("single.conf");
    Files.writeString(oneRange, "shoplake.stg-core.partitions = 1\n");
    JobOutcome p = parallel.run(new JdbcExtract());
    JobOutcome s = single.run(new JdbcExtract(), "--config-file", oneRange.toString());
    assertEquals(0, p.exitCode(), parallel.stderr());
    assertEquals(0, s.exitCode(), single.stderr());
    for (String table : List.of("orders", "order_items")) {
      assertEquals(4, ((Number) tableMetrics(p, table).get("read_partitions")).intValue());
      assertEquals(1, ((Number) tableMetrics(s, table).get("read_partitions")).intValue());
      Dataset<Row> expected = single.read("processed/stg_core/" + table).drop("run_id", "ingested_at");
      assertEquals(290, expected.count());
      assertSameRows(expected, parallel.read("processed/stg_core/" + table).drop("run_id", "ingested_at"));
    }
  }

  /** The files a failed run left in a state directory; the job's lock directory may stay, empty. */
  private static List<String> filesUnder(Path stateDir) throws IOException {
    if (!Files.exists(stateDir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
      return files.filter(Files::isRegularFile).map(f -> stateDir.relativize(f).toString()).sorted().toList();
    }
  }

  @Test
  void aTableWhoseColumnsChangeIsRebuiltWholeAndKeepsEveryValueAsStored() throws IOException {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    assertEquals(0, jobs.run(new JdbcExtract()).exitCode(), jobs.stderr());

    // The shop's schema grows: a duration (TIME holds up to 838:59:59 and negative values), a wide DECIMAL, a
    // TINYINT(1) used as a small number, columns named like two the lake adds; and e-mail's letter case changes.
    db.execute("ALTER TABLE orders ADD COLUMN prep_time TIME NULL, ADD COLUMN fx_rate DECIMAL(65,30) NULL,"
        + " ADD COLUMN priority TINYINT(1) NULL, ADD COLUMN `month` INT NULL, ADD COLUMN run_id VARCHAR(8) NULL;"
        + " UPDATE orders SET prep_time = '838:59:59', fx_rate = 1234567890.5, priority = 7, `month` = 13,"
        + " run_id = 'r-1', updated_at = '2025-02-01 08:00:00' WHERE id = 1;"
        + " UPDATE orders SET prep_time = '-01:30:00', priority = 0, updated_at = '2025-02-01 09:00:00' WHERE id = 2;"
        + " ALTER TABLE customers CHANGE email Email VARCHAR(255);"
        + " UPDATE customers SET updated_at = '2025-02-01 08:00:00' WHERE id = 'C0000001';");
    JobOutcome changed = jobs.run(new JdbcExtract());
    assertEquals(0, changed.exitCode(), jobs.stderr());
    String runId = changed.manifest().orElseThrow().getRunId();
    assertEquals("added prep_time string, fx_rate string, priority tinyint, month_value int, run_id_value string",
        tableMetrics(changed, "orders").get("columns_changed"));
    assertTrue(changed.manifest().orElseThrow().getWarnings().stream().anyMatch(w -> w.startsWith(
        "stg_core.orders's columns changed since its copy was written (added prep_time")), jobs.stderr());
    assertEquals(Map.of("month", "month_value", "run_id", "run_id_value"), tableMetrics(changed, "orders").get(
        "columns_renamed"));
    // Rebuilt whole: every row rewritten by this run, so every file has the new columns.
    Dataset<Row> orders = jobs.read("processed/stg_core/orders");
    assertEquals(290, orders.count());
    assertEquals(290, orders.filter(org.apache.spark.sql.functions.col("run_id").equalTo(runId)).count());
    assertSameRows(SharedSpark.get().sql("select * from values"
            + " (1L, '838:59:59', '1234567890.500000000000000000000000000000', cast(7 as tinyint), 13, 'r-1', 2),"
            + " (2L, '-01:30:00', null, cast(0 as tinyint), null, null, 2)"
            + " as t(id, prep_time, fx_rate, priority, month_value, run_id_value, month)"),
        orders.filter("id in (1, 2)").select("id", "prep_time", "fx_rate", "priority", "month_value", "run_id_value",
            "month"));
    Dataset<Row> customers = jobs.read("processed/stg_core/customers");
    assertEquals(60, customers.filter("email_hash is not null").count());
    assertFalse(List.of(customers.columns()).stream().anyMatch(c -> c.equalsIgnoreCase("email")));
    assertEquals(0, ((Number) tableMetrics(changed, "order_items").get("rows")).longValue());

    // Columns unchanged since: only the changed row, as before.
    db.execute("UPDATE orders SET prep_time = '00:10:00', updated_at = '2025-02-02 08:00:00' WHERE id = 3;");
    JobOutcome incremental = jobs.run(new JdbcExtract());
    assertEquals(0, incremental.exitCode(), jobs.stderr());
    assertEquals(1L, ((Number) tableMetrics(incremental, "orders").get("rows")).longValue());
    assertFalse(tableMetrics(incremental, "orders").containsKey("columns_changed"));
    assertTrue(incremental.manifest().orElseThrow().getWarnings().isEmpty(), jobs.stderr());

    // A column dropped and another retyped: rebuilt again, the dropped one gone from every file.
    db.execute("ALTER TABLE orders DROP COLUMN fx_rate, MODIFY total_amount DECIMAL(20,4) NOT NULL;"
        + " UPDATE orders SET updated_at = '2025-02-03 08:00:00' WHERE id = 4;");
    JobOutcome dropped = jobs.run(new JdbcExtract());
    assertEquals(0, dropped.exitCode(), jobs.stderr());
    assertEquals("removed fx_rate; retyped total_amount decimal(18,2) -> decimal(20,4)",
        tableMetrics(dropped, "orders").get("columns_changed"));
    Dataset<Row> merged = SharedSpark.get().read().option("mergeSchema", "true")
        .parquet(dir.resolve("lake/processed/stg_core/orders").toString());
    assertFalse(List.of(merged.columns()).contains("fx_rate"));
    assertEquals(290, merged.filter("total_amount is not null").count());
  }

  @Test
  void aRebuildCutOffBetweenItsPartitionsIsRebuiltAgainByTheRerun() throws IOException {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    assertEquals(0, jobs.run(new JdbcExtract()).exitCode(), jobs.stderr());
    Path orders = dir.resolve("lake/processed/stg_core/orders");
    Path day = orders.resolve("year=2025/month=1/day=2");
    Path old = dir.resolve("old-day");
    Files.move(day, old); // this day as the copy of the old columns had it
    Files.createDirectories(day);
    try (java.util.stream.Stream<Path> files = Files.list(old)) {
      for (Path f : files.toList()) {
        Files.copy(f, day.resolve(f.getFileName()));
      }
    }

    db.execute("ALTER TABLE orders ADD COLUMN channel VARCHAR(8) NULL;"
        + " UPDATE orders SET channel = 'web', updated_at = '2025-02-01 08:00:00' WHERE id = 1;");
    JobOutcome cut = jobs.run(new JdbcExtract(() -> {
      throw new IllegalStateException("injected failure before the watermark commit");
    }));
    assertEquals(1, cut.exitCode());
    // As if killed while Spark moved the rebuilt partitions into place: one day still of the old columns.
    try (java.util.stream.Stream<Path> files = Files.walk(day)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    Files.move(old, day);

    JobOutcome rerun = jobs.run(new JdbcExtract());
    assertEquals(0, rerun.exitCode(), jobs.stderr());
    assertEquals("added channel string", tableMetrics(rerun, "orders").get("columns_changed"));
    Dataset<Row> copy = jobs.read("processed/stg_core/orders");
    assertEquals(290, copy.count());
    assertEquals(290, copy.filter(org.apache.spark.sql.functions.col("run_id")
        .equalTo(rerun.manifest().orElseThrow().getRunId())).count());
    assertEquals(1, copy.filter("channel = 'web'").count());
  }

  @Test
  void aTextIdOfAnyCharactersCarriesTheWatermark() throws IOException {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    assertEquals(0, jobs.run(new JdbcExtract()).exitCode(), jobs.stderr());
    String insert = "INSERT INTO customers (id, email, full_name, country, created_at, updated_at) VALUES ";
    db.execute(insert + "('cus.61@shop', 'a@example.com', 'A', 'GB', '2025-02-01 08:00:00', '2025-02-01 08:00:00'),"
        + " ('O''Brien', 'b@example.com', 'B', 'IE', '2025-02-01 08:00:00', '2025-02-01 08:00:00');");
    JobOutcome second = jobs.run(new JdbcExtract());
    assertEquals(0, second.exitCode(), jobs.stderr()); // failed after its write, and every rerun, before
    assertEquals(2L, ((Number) tableMetrics(second, "customers").get("rows")).longValue());
    assertTrue(Files.readString(dir.resolve("lake/_state/jdbc-extract/customers.json")).contains("cus.61@shop"));

    // A row of the same time and a greater id, then nothing new: the id compares as the text it is.
    db.execute(insert + "('zo\u00eb.62', 'c@example.com', 'C', 'BE', '2025-02-01 08:00:00', '2025-02-01 08:00:00');");
    JobOutcome third = jobs.run(new JdbcExtract());
    assertEquals(0, third.exitCode(), jobs.stderr());
    assertEquals(1L, ((Number) tableMetrics(third, "customers").get("rows")).longValue());
    JobOutcome fourth = jobs.run(new JdbcExtract());
    assertEquals(0, fourth.exitCode(), jobs.stderr());
    assertEquals(0L, ((Number) tableMetrics(fourth, "customers").get("rows")).longValue());
    assertEquals(63, jobs.read("processed/stg_core/customers").count());
    assertEquals(1, jobs.read("processed/stg_core/customers").filter("id = 'zo\u00eb.62'").count());
  }

  @Test
  void aJvmInAnotherZoneCopiesTheSameTimesAndDaysAsOneInUtc() throws IOException {
    JobHarness utc = new JobHarness(new TestLake(dir.resolve("utc")), env());
    assertEquals(0, utc.run(new JdbcExtract()).exitCode(), utc.stderr());
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    try {
      // A laptop in New York (Glue runs in UTC): before, every DATETIME landed five hours later.
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
      JobHarness newYork = new JobHarness(new TestLake(dir.resolve("new-york")), env());
      assertEquals(0, newYork.run(new JdbcExtract()).exitCode(), newYork.stderr());
      for (String table : List.of("customers", "orders", "order_items")) {
        assertSameRows(utc.read("processed/stg_core/" + table).drop("run_id", "ingested_at"),
            newYork.read("processed/stg_core/" + table).drop("run_id", "ingested_at"));
      }
      // An hour before midnight stays on its day; the next run reads exactly the row changed.
      db.execute("UPDATE orders SET status = 'refunded', updated_at = '2025-02-01 23:30:00' WHERE id = 1;");
      JobOutcome next = newYork.run(new JdbcExtract());
      assertEquals(0, next.exitCode(), newYork.stderr());
      assertEquals(1L, ((Number) tableMetrics(next, "orders").get("rows")).longValue());
      assertSameRows(SharedSpark.get().sql("select 1L as id, 'refunded' as status,"
              + " '2025-02-01 23:30:00' as updated_at, 2025 as year, 2 as month, 1 as day"),
          orders(newYork).filter("id = 1"));
      assertEquals(0L, ((Number) tableMetrics(newYork.run(new JdbcExtract()), "orders").get("rows")).longValue());
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
    }
  }

  @Test
  void aNullUpdatedAtGoesToQuarantineLikeAZeroDateInsteadOfBeingLeftUnread() throws IOException {
    // A nullable updated_at (legacy tables): a whole read's "updated_at <= bound" left such rows out, uncounted.
    db.execute("ALTER TABLE orders MODIFY updated_at DATETIME NULL; SET SESSION sql_mode = '';"
        + " UPDATE orders SET updated_at = NULL WHERE id IN (7, 8);"
        + " UPDATE orders SET updated_at = '0000-00-00 00:00:00' WHERE id = 9;");
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    JobOutcome first = jobs.run(new JdbcExtract());
    assertEquals(0, first.exitCode(), jobs.stderr());
    RunManifest m = first.manifest().orElseThrow();
    assertEquals(640, m.getRowsRead());
    assertEquals(637, m.getRowsWritten());
    assertEquals(Map.of("null_updated_at", 2L, "zero_updated_at", 1L), m.getRejectedByReason());
    assertTrue(m.getWarnings().stream().anyMatch(w -> w.startsWith("2 row(s) of stg_core.orders have updated_at NULL")),
        jobs.stderr());
    assertSameRows(SharedSpark.get().sql("select * from values (7L, 'null_updated_at'), (8L, 'null_updated_at'),"
            + " (9L, 'zero_updated_at') as t(id, reject_reason)"),
        jobs.read("quarantine/stg_core/orders").select("id", "reject_reason"));
    assertEquals(287, jobs.read("processed/stg_core/orders").count());
  }

  @Test
  void aTimestampColumnOfAServerInAnotherZoneLandsAsItsInstant() throws IOException {
    // A TIMESTAMP is an instant, which MySQL shows in the session's zone: set at 10:00Z, shown at +05:00 as 15:00.
    db.execute("ALTER TABLE orders ADD COLUMN paid_at TIMESTAMP NULL; SET time_zone = '+00:00';"
        + " UPDATE orders SET paid_at = '2025-01-01 10:00:00' WHERE id = 1;");
    db.execute("SET GLOBAL time_zone = '+05:00';");
    try {
      JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
      assertEquals(0, jobs.run(new JdbcExtract()).exitCode(), jobs.stderr());
      // The DATETIME beside it keeps its wall-clock time: the session's zone does not apply to it.
      assertSameRows(SharedSpark.get().sql("select 1L as id, '2025-01-01 10:00:00' as paid_at,"
              + " '2025-01-01 02:56:00' as updated_at"),
          jobs.read("processed/stg_core/orders").filter("id = 1").selectExpr("id", "cast(paid_at as string) as paid_at",
              "cast(updated_at as string) as updated_at"));
      assertEquals(0L, ((Number) tableMetrics(jobs.run(new JdbcExtract()), "orders").get("rows")).longValue());
    } finally {
      db.execute("SET GLOBAL time_zone = 'SYSTEM';");
    }
  }

  @Test
  void idsPastAJavaLongAreReadInOneRangeInsteadOfFailingTheParallelRead() throws IOException {
    // BIGINT UNSIGNED (what Laravel and Rails make ids) reaches 18446744073709551615; Spark's id ranges are longs.
    db.execute("ALTER TABLE orders MODIFY id BIGINT UNSIGNED NOT NULL;"
        + " INSERT INTO orders VALUES (18446744073709551615, 'C0000001', 'completed', 'USD', 12.50,"
        + " '2025-02-01 11:00:00', '2025-02-01 11:00:00');");
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")), env());
    JobOutcome first = jobs.run(new JdbcExtract());
    assertEquals(0, first.exitCode(), jobs.stderr());
    assertEquals(1, ((Number) tableMetrics(first, "orders").get("read_partitions")).intValue());
    assertEquals(291, jobs.read("processed/stg_core/orders").count());
    assertEquals(1, jobs.read("processed/stg_core/orders").filter("id = 18446744073709551615").count());
    // The next run resumes after it: nothing read again.
    assertEquals(0L, ((Number) tableMetrics(jobs.run(new JdbcExtract()), "orders").get("rows")).longValue());
  }
}
