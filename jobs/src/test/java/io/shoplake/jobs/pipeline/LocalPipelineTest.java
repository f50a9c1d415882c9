package io.shoplake.jobs.pipeline;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineHarness;
import io.shoplake.jobs.testing.SampleLakeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local pipeline on the committed sample data (../sample-data/raw): exact curated row counts, a
 * second run that changes no curated row, and a late file that makes master-merge recompute its date
 * only. The tests share one lake and run in order: a copy of the JVM's reference run on the sample data
 * (SampleLakeReference), so the second run also proves that a lake moved to another folder is read as
 * it was (its state records paths relative to its root).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineTest {
  /** Curated tables and their row counts on sample-data (generated with --rows 300 --days 3 --seed 42). */
  static final Map<String, Long> CURATED_ROWS = new LinkedHashMap<>();

  static {
    CURATED_ROWS.put("sales", 290L);
    CURATED_ROWS.put("daily_product_performance", 118L);
    CURATED_ROWS.put("customer_summary", 59L);
    CURATED_ROWS.put("traffic_hourly", 73L);
    CURATED_ROWS.put("conversion_funnel_daily", 4L);
  }

  @TempDir static Path dir;
  private static TestLake lake;
  private static JobHarness jobs;
  private static int firstExit;

  private static String firstStdout;

  /** The first run is the JVM's shared reference run; this class goes on in a copy of its lake. */
  @BeforeAll
  static void runOnSampleData() {
    SampleLakeReference reference = SampleLakeReference.get();
    lake = reference.copyTo(dir.resolve("lake"));
    jobs = new JobHarness(lake);
    firstExit = reference.exitCode();
    firstStdout = reference.stdout();
  }

  private static Map<String, List<Row>> curated() {
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    CURATED_ROWS.keySet().forEach(t -> tables.put(t, jobs.read("curated/" + t).collectAsList()));
    return tables;
  }

  @Test
  @Order(1)
  void everyStepSucceedsAndTheCuratedTablesHaveTheirExactRowCounts() {
    assertEquals(0, firstExit, firstStdout);
    CURATED_ROWS.forEach((table, rows) -> assertEquals(rows, jobs.read("curated/" + table).count(), table));
    CURATED_ROWS.forEach((table, rows) -> assertEquals(rows,
        SharedSpark.get().read().json(lake.root().resolve("exports/" + table).toString()).count(), "export " + table));
    String summary = firstStdout;
    assertTrue(summary.contains("step ") && summary.contains("rows in"), summary);
    for (String step : List.of("transactions", "products", "reviews", "clickstream", "master-merge", "export sales")) {
      assertTrue(summary.lines().anyMatch(l -> l.startsWith(step + " ") && l.contains("succeeded")), step + "\n" + summary);
    }
    // Every sales row is a processed transaction, with the sums the same in both.
    Row totals = jobs.read("curated/sales").selectExpr("count(*)", "sum(net_amount_usd)").first();
    Row processed = jobs.read("processed/transactions").selectExpr("count(*)", "sum(net_amount_usd)").first();
    assertEquals(processed, totals);
  }

  @Test
  @Order(2)
  void aSecondRunLeavesEveryCuratedTableUnchanged() {
    Map<String, List<Row>> before = curated();
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    Map<String, List<Row>> after = curated();
    before.forEach((table, rows) -> assertSameRows(
        SharedSpark.get().createDataFrame(rows, jobs.read("curated/" + table).schema()),
        SharedSpark.get().createDataFrame(after.get(table), jobs.read("curated/" + table).schema())));
    // Its inputs' files did not change: master-merge reads nothing at all.
    RunManifest merge = latestManifest(MasterMerge.NAME);
    assertEquals(0, merge.getRowsRead());
    assertTrue(merge.getWarnings().contains(
        "no input file changed since the last run: curated tables left as they are, nothing read"), merge.getWarnings()
        .toString());
  }

  @Test
  @Order(3)
  void aLateFileForOneDateRecomputesThatDateOnly() throws IOException {
    Path untouched = lake.root().resolve("curated/sales/year=2025/month=1/day=1");
    TreeSet<String> filesBefore = fileNames(untouched);
    lake.writeTransactions("2025-01-02", "late.csv", List.of(
        "LATE-1,C0000001,P00001,1,10.00,,,USD,card,completed,2025-01-02T12:00:00Z,,US"));
    // The whole flow again, for that raw date: products and reviews rebuild (their content is the
    // same but for days_of_supply), clickstream rewrites the same sessions of Jan 2.
    assertEquals(0, PipelineHarness.run(jobs, "--run-date", "2025-01-02"), jobs.stdout() + jobs.stderr());
    RunManifest m = latestManifest(MasterMerge.NAME);
    assertEquals(1, ((Number) m.getMetrics().get("sales_dates_recomputed")).intValue(), m.getMetrics().toString());
    assertEquals(1, ((Number) m.getMetrics().get("performance_dates_recomputed")).intValue(), m.getMetrics().toString());
    assertEquals(m.getRowsRead(), m.getRowsWritten());
    assertEquals(CURATED_ROWS.get("sales") + 1, jobs.read("curated/sales").count());
    assertEquals(1, jobs.read("curated/sales").filter("transaction_id = 'LATE-1'").count());
    assertEquals(filesBefore, fileNames(untouched));
    // The partitions of Jan 1 and 3 kept their fingerprints unread, and what the run recorded is what a
    // full scan of every input gives.
    assertTrue(((Number) m.getMetrics().get("fingerprints_reused")).intValue() > 0, m.getMetrics().toString());
    Path fingerprints = lake.root().resolve("_state/master-merge/input-fingerprints.json");
    String incremental = Files.readString(fingerprints);
    JobOutcome full = jobs.run(new MasterMerge(), "--full-refresh");
    assertEquals(0, full.exitCode(), jobs.stderr());
    assertEquals(0, ((Number) full.manifest().orElseThrow().getMetrics().get("fingerprints_reused")).intValue());
    assertEquals(incremental, Files.readString(fingerprints));
  }

  private static TreeSet<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }

  private static RunManifest latestManifest(String job) {
    try (Stream<Path> files = Files.list(lake.root().resolve("_runs").resolve(job))) {
      Path latest = files.filter(p -> p.toString().endsWith(".json")).sorted().reduce((a, b) -> b).orElseThrow();
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
          .readValue(latest.toFile(), RunManifest.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
