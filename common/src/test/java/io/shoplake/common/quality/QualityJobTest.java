package io.shoplake.common.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check kind passing and failing, at both severities; the anomaly check against history; bad config. */
class QualityJobTest {
  @TempDir Path dir;

  /** Five widgets: a repeated id (w3), a null qty, a kind outside [a, b], newest ts 2025-01-03T23:00Z; one in quarantine. */
  private TestLake widgets() {
    TestLake lake = new TestLake(dir.resolve("lake"));
    SharedSpark.get().sql("select * from values"
            + " ('w1', 1, 'a', timestamp'2025-01-01 10:00:00'), ('w2', 2, 'b', timestamp'2025-01-02 10:00:00'),"
            + " ('w3', 3, 'a', timestamp'2025-01-03 10:00:00'), ('w3', 4, 'c', timestamp'2025-01-03 12:00:00'),"
            + " ('w5', cast(null as int), 'a', timestamp'2025-01-03 23:00:00') as t(id, qty, kind, ts)")
        .write().parquet(lake.root().resolve("processed/widgets").toString());
    SharedSpark.get().sql("select 'w9' as id, 'bad_qty' as reject_reason")
        .write().parquet(lake.root().resolve("quarantine/widgets").toString());
    return lake;
  }

  /** One check of each kind that the widgets meet, and one that they fail, at {@code failingSeverity}. */
  private Path config(String failingSeverity) throws IOException {
    String failing = ", severity = " + failingSeverity + " }\n";
    Path file = dir.resolve(failingSeverity + ".conf");
    Files.writeString(file, "shoplake.quality.datasets.widgets {\n"
        + " path = \"processed/widgets\", quarantine = \"quarantine/widgets\"\n"
        + " checks {\n"
        + "  rows-ok { check = row-count, min = 5, max = 5 }\n"
        + "  rows-bad { check = row-count, min = 6" + failing
        + "  complete-ok { check = completeness, columns = [id, kind] }\n"
        + "  complete-bad { check = completeness, columns = [id, qty]" + failing
        + "  unique-ok { check = uniqueness, columns = [id, qty] }\n"
        + "  unique-bad { check = uniqueness, columns = [id]" + failing
        + "  range-ok { check = range, column = qty, min = 1, max = 4 }\n"
        + "  range-bad { check = range, column = qty, max = 3" + failing
        + "  allowed-ok { check = allowed-values, column = kind, values = [a, b, c] }\n"
        + "  allowed-bad { check = allowed-values, column = kind, values = [a, b]" + failing
        + "  fresh-ok { check = freshness, column = ts, max-age = 1 day }\n"
        + "  fresh-bad { check = freshness, column = ts, max-age = 30 minutes" + failing
        + "  quarantine-ok { check = quarantine-ratio, max = 0.2 }\n"
        + "  quarantine-bad { check = quarantine-ratio, max = 0.1" + failing
        + " }\n}\n");
    return file;
  }

  private static final Map<String, String> FAILURES = Map.of(
      "rows-bad", "5 rows, expected at least 6",
      "complete-bad", "qty: 1 of 5 rows null (80.00% complete); required 100.00%",
      "unique-bad", "1 rows repeat a (id) value of another row (5 rows, 4 distinct)",
      "range-bad", "1 rows of qty outside (-inf, 3] (observed min 1, max 4)",
      "allowed-bad", "1 rows of kind not one of [a, b] (e.g. 'c')",
      "fresh-bad", "newest ts 2025-01-03T23:00:00Z is 1 h old at 2025-01-04T00:00:00Z (limit 30 min)",
      "quarantine-bad", "1 of 6 rows in quarantine (16.67%, limit 10.00%)");

  @Test
  void warningsAreReportedAndTheRunSucceeds() throws IOException {
    TestLake lake = widgets();
    JobHarness jobs = new JobHarness(lake);
    // --run-date: freshness is judged at the end of that date, not today.
    JobOutcome outcome = jobs.run(new QualityJob(), "--config-file", config("warning").toString(),
        "--dataset", "widgets", "--run-date", "2025-01-03");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(14, m.getRowsRead(), "checks evaluated");
    assertEquals(7, m.getRowsWritten(), "checks passed");
    assertEquals(Map.of("warning", 7L), m.getRejectedByReason());
    Map<String, String> failed = failedChecks(latestRecord(lake, "widgets"));
    assertEquals(FAILURES, failed);
    FAILURES.forEach((name, message) -> assertTrue(m.getWarnings().contains(
        "check failed: widgets." + name + " (" + kindOf(name) + ", warning): " + message), m.getWarnings().toString()));
    assertTrue(jobs.stdout().contains("warning: check failed: widgets.fresh-bad"), jobs.stdout());
    assertEquals("warnings", latestRecord(lake, "widgets").get("status").asText());
  }

  @Test
  void aDatasetWithNoQuarantineYetHasNothingInQuarantine() throws IOException {
    TestLake lake = widgets();
    try (Stream<Path> files = Files.walk(lake.root().resolve("quarantine"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    JobHarness jobs = new JobHarness(lake);
    JobOutcome outcome = jobs.run(new QualityJob(), "--config-file", config("warning").toString(),
        "--dataset", "widgets", "--run-date", "2025-01-03");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    Map<String, String> expected = new java.util.TreeMap<>(FAILURES);
    expected.remove("quarantine-bad");
    assertEquals(expected, new java.util.TreeMap<>(failedChecks(latestRecord(lake, "widgets"))));
  }

  @Test
  void errorsFailTheRunAfterRecordingEveryOutcome() throws IOException {
    TestLake lake = widgets();
    JobHarness jobs = new JobHarness(lake);
    JobOutcome outcome = jobs.run(new QualityJob(), "--config-file", config("error").toString(),
        "--dataset", "widgets", "--run-date", "2025-01-03");
    assertEquals(1, outcome.exitCode());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals("data", m.getErrorKind());
    assertEquals("Cannot pass quality: 7 error-level checks failed: widgets.allowed-bad, widgets.complete-bad,"
        + " widgets.fresh-bad, widgets.quarantine-bad, widgets.range-bad, widgets.rows-bad, widgets.unique-bad"
        + " (figures in the warnings and in _dq/)", m.getError());
    FAILURES.forEach((name, message) -> assertTrue(jobs.stdout().contains("warning: check failed: widgets." + name
        + " (" + kindOf(name) + ", error): " + message), name + " in " + jobs.stdout()));
    assertEquals(Map.of("error", 7L), m.getRejectedByReason());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    JsonNode record = latestRecord(lake, "widgets");
    assertEquals("failed", record.get("status").asText());
    assertEquals(FAILURES, failedChecks(record));
  }

  @Test
  void aPlantedDropInRowCountFailsTheAnomalyCheck() throws IOException {
    TestLake lake = new TestLake(dir.resolve("volume"));
    String path = lake.root().resolve("processed/orders").toString();
    SharedSpark.get().range(10).toDF("id").write().parquet(path);
    Path conf = dir.resolve("anomaly.conf");
    Files.writeString(conf, "shoplake.quality.datasets.orders { path = \"processed/orders\", checks {\n"
        + " volume { check = row-count-anomaly, runs = 3, min-runs = 3, max-drop = 0.5 } } }\n");
    JobHarness jobs = new JobHarness(lake);
    String first = null;
    for (int run = 0; run < 3; run++) {
      JobOutcome outcome = jobs.run(new QualityJob(), "--config-file", conf.toString(), "--dataset", "orders");
      assertEquals(0, outcome.exitCode(), jobs.stderr());
      JsonNode record = latestRecord(lake, "orders");
      assertEquals("10 rows; not enough history to compare (" + run + " of 3 earlier runs)",
          record.get("checks").get(0).get("message").asText());
      first = first == null ? outcome.manifest().orElseThrow().getRunId() : first;
      // Unchanged data is not scanned again: the first run's metrics are judged again.
      assertEquals(first, record.get("measured_in_run").asText());
    }

    SharedSpark.get().range(4).toDF("id").write().mode("overwrite").parquet(path);
    JobOutcome dropped = jobs.run(new QualityJob(), "--config-file", conf.toString(), "--dataset", "orders");
    assertEquals(1, dropped.exitCode());
    assertTrue(dropped.manifest().orElseThrow().getError().endsWith("orders.volume (row-count-anomaly, error): 4 rows,"
        + " -60.0% against the mean 10.0 of the last 3 runs (limit: a drop of 50%)"), jobs.stderr());
  }

  @Test
  void aWrongCheckIsAOneLineUsageError() throws IOException {
    TestLake lake = widgets();
    JobHarness jobs = new JobHarness(lake);
    Path unknownKind = dir.resolve("kind.conf");
    Files.writeString(unknownKind, "shoplake.quality.datasets.widgets { path = \"processed/widgets\","
        + " checks { odd { check = median } } }\n");
    assertEquals(2, jobs.run(new QualityJob(), "--config-file", unknownKind.toString()).exitCode());
    assertTrue(jobs.stderr().contains("Cannot use shoplake.quality.datasets.widgets.checks.odd.check 'median':"
        + " expected one of row-count, completeness, uniqueness, range, allowed-values, freshness, quarantine-ratio,"
        + " row-count-anomaly"), jobs.stderr());

    Path typo = dir.resolve("typo.conf");
    Files.writeString(typo, "shoplake.quality.datasets.widgets { path = \"processed/widgets\","
        + " checks { qty { check = range, colum = qty, min = 1 } } }\n");
    assertEquals(2, jobs.run(new QualityJob(), "--config-file", typo.toString()).exitCode());
    assertTrue(jobs.stderr().contains("Cannot use shoplake.quality.datasets.widgets.checks.qty: column is missing"),
        jobs.stderr());

    Path noColumn = dir.resolve("column.conf");
    Files.writeString(noColumn, "shoplake.quality.datasets.widgets { path = \"processed/widgets\","
        + " checks { qty { check = range, column = quantity, min = 1 } } }\n");
    assertEquals(2, jobs.run(new QualityJob(), "--config-file", noColumn.toString(), "--dataset", "widgets")
        .exitCode());
    assertTrue(jobs.stderr().contains("Cannot check widgets: its checks name column(s) [quantity] that "),
        jobs.stderr());

    Path wrongType = dir.resolve("type.conf");
    Files.writeString(wrongType, "shoplake.quality.datasets.widgets { path = \"processed/widgets\","
        + " checks { new { check = freshness, column = kind, max-age = 1 day }, big { check = range, column = id,"
        + " max = 9 } } }\n");
    assertEquals(2, jobs.run(new QualityJob(), "--config-file", wrongType.toString(), "--dataset", "widgets")
        .exitCode());
    assertTrue(jobs.stderr().contains("Cannot check widgets: big (range) needs a numeric column; id is string;"
        + " new (freshness) needs a timestamp or date column; kind is string"), jobs.stderr());
    assertFalse(jobs.stderr().contains("\tat "), jobs.stderr());
  }

  private static String kindOf(String checkName) {
    return switch (checkName.substring(0, checkName.indexOf('-'))) {
      case "rows" -> "row-count";
      case "complete" -> "completeness";
      case "unique" -> "uniqueness";
      case "allowed" -> "allowed-values";
      case "fresh" -> "freshness";
      case "quarantine" -> "quarantine-ratio";
      default -> "range";
    };
  }

  private static Map<String, String> failedChecks(JsonNode record) {
    Map<String, String> failed = new java.util.TreeMap<>();
    record.get("checks").forEach(c -> {
      if (!c.get("passed").asBoolean()) {
        failed.put(c.get("name").asText(), c.get("message").asText());
      }
    });
    return failed;
  }

  static JsonNode latestRecord(TestLake lake, String dataset) throws IOException {
    try (Stream<Path> files = Files.list(lake.root().resolve("_dq").resolve(dataset))) {
      List<Path> records = files.filter(f -> f.getFileName().toString().matches("[^.].*\\.json")).sorted().toList();
      return new ObjectMapper().readTree(records.get(records.size() - 1).toFile());
    }
  }
}
