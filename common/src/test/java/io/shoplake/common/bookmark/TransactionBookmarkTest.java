package io.shoplake.common.bookmark;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction job's bookmark over several runs: only new files are read, the output stays exact. */
class TransactionBookmarkTest {
  @TempDir Path dir;

  private static String tx(String id, String day, String quantity) {
    return id + ",C1,P1," + quantity + ",10.00,0,0,USD,card,completed,2025-01-0" + day + "T10:00:00Z,,US";
  }

  private static Dataset<Row> rows(String values) {
    return SharedSpark.get().sql("select * from values " + values + " as t(transaction_id, quantity, day, source_file)");
  }

  private static Dataset<Row> processed(JobHarness jobs) {
    return jobs.read("processed/transactions").selectExpr("transaction_id", "quantity", "day", "source_file");
  }

  /** Every file under {@code zone} with its modification time: what "changes no output" compares. */
  private static Map<String, Long> files(Path zone) {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(zone)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        try {
          files.put(zone.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Map<String, Long> partition(Map<String, Long> files, String prefix) {
    Map<String, Long> part = new TreeMap<>(files);
    part.keySet().removeIf(k -> !k.startsWith(prefix));
    return part;
  }

  @Test
  void newFilesThenNoneThenALateFileForAnOldDate() {
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "1"), tx("T2", "1", "0")));
    lake.writeTransactions("2025-01-02", "b.csv", List.of(tx("T3", "2", "1")));

    RunManifest first = jobs.run(new TransactionEtl()).manifest().orElseThrow();
    assertEquals(3, first.getRowsRead());
    assertSameRows(rows("('T1', 1, 1, 'raw/transactions/date=2025-01-01/a.csv'),"
        + " ('T3', 1, 2, 'raw/transactions/date=2025-01-02/b.csv')"), processed(jobs));

    // No new file: nothing read, nothing written, not a byte of the lake changed.
    Map<String, Long> before = files(lake.root().resolve("processed"));
    Map<String, Long> quarantineBefore = files(lake.root().resolve("quarantine"));
    JobOutcome second = jobs.run(new TransactionEtl());
    assertEquals(0, second.exitCode(), jobs.stderr());
    assertEquals(0, second.manifest().orElseThrow().getRowsRead());
    assertTrue(second.manifest().orElseThrow().getWarnings().get(0).startsWith("no new or changed files"));
    assertEquals(before, files(lake.root().resolve("processed")));
    assertEquals(quarantineBefore, files(lake.root().resolve("quarantine")));

    // A late file for 2025-01-01: only that day's partition is rewritten; day 2 is untouched, and the
    // rejects of a.csv stay in the quarantine next to those of the late file.
    lake.writeTransactions("2025-01-01", "late.csv", List.of(tx("T4", "1", "2"), tx("T5", "1", "-1")));
    RunManifest third = jobs.run(new TransactionEtl()).manifest().orElseThrow();
    assertEquals(List.of("raw/transactions/date=2025-01-01/late.csv"),
        third.getInputFiles().stream().map(RunManifest.InputFileEntry::path).toList());
    assertEquals(List.of("year=2025/month=1/day=1"), third.getOutputPartitions());
    assertSameRows(rows("('T1', 1, 1, 'raw/transactions/date=2025-01-01/a.csv'),"
        + " ('T3', 1, 2, 'raw/transactions/date=2025-01-02/b.csv'),"
        + " ('T4', 2, 1, 'raw/transactions/date=2025-01-01/late.csv')"), processed(jobs));
    Map<String, Long> after = files(lake.root().resolve("processed"));
    String day2 = "transactions/year=2025/month=1/day=2";
    assertEquals(partition(before, day2), partition(after, day2));
    assertNotEquals(partition(before, "transactions/year=2025/month=1/day=1"),
        partition(after, "transactions/year=2025/month=1/day=1"));
    assertSameRows(SharedSpark.get().sql("select * from values ('T2', 'non_positive_quantity'), ('T5', 'non_positive_quantity')"
            + " as t(transaction_id, reject_reason)"),
        jobs.read("quarantine/transactions").select("transaction_id", "reject_reason"));
  }

  @Test
  void pauseResetRewindAndDisable() throws IOException {
    TestLake lake = new TestLake(dir.resolve("options"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "1")));
    String firstRun = jobs.run(new TransactionEtl()).manifest().orElseThrow().getRunId();
    Path bookmark = lake.root().resolve("_state/transactions/bookmark.json");
    String afterFirst = Files.readString(bookmark);

    // pause: the new file is read, but not remembered, so the next enabled run reads it again.
    lake.writeTransactions("2025-01-02", "b.csv", List.of(tx("T2", "2", "1")));
    assertEquals(1, jobs.run(new TransactionEtl(), "--bookmark", "pause").manifest().orElseThrow().getRowsRead());
    assertEquals(afterFirst, Files.readString(bookmark));
    RunManifest enabled = jobs.run(new TransactionEtl(), "--job-bookmark-option", "job-bookmark-enable")
        .manifest().orElseThrow();
    assertEquals(1, enabled.getRowsRead());
    assertEquals(0, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());

    // disable: every file is read, nothing is remembered.
    String beforeDisable = Files.readString(bookmark);
    assertEquals(2, jobs.run(new TransactionEtl(), "--bookmark", "disable").manifest().orElseThrow().getRowsRead());
    assertEquals(beforeDisable, Files.readString(bookmark));

    // rewind to the first run: the files of the later runs are read again.
    assertEquals(1, jobs.run(new TransactionEtl(), "--bookmark-rewind-to", firstRun).manifest().orElseThrow()
        .getRowsRead());
    // reset: everything is read again.
    assertEquals(2, jobs.run(new TransactionEtl(), "--bookmark", "reset").manifest().orElseThrow().getRowsRead());
    assertEquals(0, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());

    // Reading files again never duplicates their rows.
    assertSameRows(rows("('T1', 1, 1, 'raw/transactions/date=2025-01-01/a.csv'),"
        + " ('T2', 1, 2, 'raw/transactions/date=2025-01-02/b.csv')"), processed(jobs));

    // Wrong options are one-line usage errors.
    JobOutcome unknown = jobs.run(new TransactionEtl(), "--bookmark-rewind-to", "no-such-run");
    assertEquals(2, unknown.exitCode());
    assertTrue(jobs.stderr().contains("Cannot rewind the bookmark of transactions to run no-such-run: no such"
        + " committed run"), jobs.stderr());
    assertEquals(2, jobs.run(new TransactionEtl(), "--bookmark", "sometimes").exitCode());
    assertTrue(jobs.stderr().contains("Cannot use --bookmark 'sometimes': expected enable, disable, pause or reset"),
        jobs.stderr());
  }

  @Test
  void aFileRewrittenWithTheSameContentIsNotReadAgainButAChangedOneIs() throws IOException {
    TestLake lake = new TestLake(dir.resolve("touched"));
    JobHarness jobs = new JobHarness(lake);
    Path a = lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "1")));
    jobs.run(new io.shoplake.common.validation.FileValidation());
    jobs.run(new TransactionEtl());

    // Same bytes, new timestamp: the validator's content hash says it is the file already processed.
    Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis()
        + 60_000));
    jobs.run(new io.shoplake.common.validation.FileValidation());
    assertEquals(0, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());

    // Same name and timestamp, another size: read again, and its new content replaces the old.
    long mtime = Files.getLastModifiedTime(a).toMillis();
    lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "12")));
    Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(mtime));
    jobs.run(new io.shoplake.common.validation.FileValidation());
    assertEquals(1, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());
    assertSameRows(rows("('T1', 12, 1, 'raw/transactions/date=2025-01-01/a.csv')"), processed(jobs));
  }

  @Test
  void withoutValidateATouchedFileIsNotReadAgainButAChangedOneIs() throws IOException {
    // The job run on its own (a schedule, an upload): its own file check supplies the content hash.
    TestLake lake = new TestLake(dir.resolve("alone"));
    JobHarness jobs = new JobHarness(lake);
    Path a = lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "1")));
    assertEquals(1, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());

    Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis()
        + 60_000));
    assertEquals(0, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());

    lake.writeTransactions("2025-01-01", "a.csv", List.of(tx("T1", "1", "12")));
    assertEquals(1, jobs.run(new TransactionEtl()).manifest().orElseThrow().getRowsRead());
    assertSameRows(rows("('T1', 12, 1, 'raw/transactions/date=2025-01-01/a.csv')"), processed(jobs));
  }
}
