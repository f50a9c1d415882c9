package io.shoplake.common.reviews;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewEtlTest {
  @TempDir Path dir;

  private static String review(String id, String rating, String ts) {
    return "{\"review_id\":" + id + ",\"product_id\":\"P1\",\"customer_id\":\"C1\",\"rating\":" + rating
        + ",\"title\":\"t\",\"body\":\"b\",\"review_ts\":\"" + ts + "\",\"verified_purchase\":true}";
  }

  @Test
  void validatesDeduplicatesAndPartitionsByReviewDate() {
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeJsonLines("reviews", "2025-01-01", "r.jsonl", List.of(
        review("\"R1\"", "5", "2025-01-01T10:00:00Z"),
        review("\"R2\"", "6", "2025-01-01T10:00:00Z"),
        review("\"R3\"", "4.5", "2025-01-01T10:00:00Z"),
        review("null", "3", "2025-01-01T10:00:00Z"),
        review("\"R4\"", "3", "yesterday"),
        "not json"));
    // R1 again, edited later: the later review_ts wins, so the Jan 1 copy is the duplicate.
    lake.writeJsonLines("reviews", "2025-01-02", "r.jsonl", List.of(
        review("\"R1\"", "4", "2025-01-02T09:00:00Z"), review("\"R5\"", "1", "2025-01-02T23:59:59Z")));

    // One line of six is not JSON: over the default share that rejects a file whole, so allow more here,
    // where the row rules are under test.
    String conf = lake.root().resolve("tolerant.conf").toString();
    writeConf(conf, "shoplake.validate.max-malformed-line-ratio = 0.5");
    JobOutcome outcome = jobs.run(new ReviewEtl(), "--config-file", conf);
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertSameRows(SharedSpark.get().sql("select * from values ('R1', 4, 2025, 1, 2), ('R5', 1, 2025, 1, 2)"
            + " as t(review_id, rating, year, month, day)"),
        jobs.read("processed/reviews").select("review_id", "rating", "year", "month", "day"));
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(Map.of("duplicate", 1L, "invalid_rating", 1L, "invalid_review_ts", 1L, "malformed_row", 1L,
        "missing_review_id", 1L, "rating_out_of_range", 1L), m.getRejectedByReason());
    assertEquals(8, m.getRowsRead());
    assertSameRows(SharedSpark.get().sql("select * from values ('2025-01-01', 6L) as t(date, n)"),
        jobs.read("quarantine/reviews").groupBy("date").count().selectExpr("cast(date as string)", "count as n"));

    // A rerun gives the same rows, not twice as many.
    assertEquals(0, jobs.run(new ReviewEtl(), "--config-file", conf).exitCode(), jobs.stderr());
    assertEquals(2, jobs.read("processed/reviews").count());
    assertEquals(6, jobs.read("quarantine/reviews").count());
  }

  @Test
  void aByteOrderMarkBeforeTheFirstLineIsTolerated() {
    TestLake lake = new TestLake(dir.resolve("bom"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeJsonLines("reviews", "2025-01-01", "r.jsonl", List.of(
        "\uFEFF" + review("\"R1\"", "5", "2025-01-01T10:00:00Z"), review("\"R2\"", "4", "2025-01-01T11:00:00Z")));
    JobOutcome outcome = jobs.run(new ReviewEtl());
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertEquals(Map.of(), outcome.manifest().orElseThrow().getRejectedByReason());
    assertEquals(2, jobs.read("processed/reviews").count());
  }

  /**
   * Every review of a first run rejected: the reviews job succeeds and writes no dataset. The readers of the lake
   * said "no dataset there", and master-merge "run the reviews job first", of a job that had run; they now name
   * the run that read the rows and why none was written, also after a rerun that read nothing new.
   */
  @Test
  void aFirstRunThatRejectsEveryRowIsNamedWhereTheDatasetIsMissing() {
    TestLake lake = new TestLake(dir.resolve("all-rejected"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeJsonLines("reviews", "2025-01-01", "r.jsonl", List.of(
        review("\"R1\"", "9", "2025-01-01T10:00:00Z"), review("\"R2\"", "0", "2025-01-01T11:00:00Z")));
    JobOutcome first = jobs.run(new ReviewEtl());
    assertEquals(0, first.exitCode(), jobs.stderr());
    assertEquals(0, first.manifest().orElseThrow().getRowsWritten());
    String runId = first.manifest().orElseThrow().getRunId();
    assertEquals(0, jobs.run(new ReviewEtl()).exitCode(), jobs.stderr()); // nothing new to read

    JobOutcome quality = jobs.run(new io.shoplake.common.quality.QualityJob(), "--dataset", "reviews");
    assertEquals(1, quality.exitCode());
    String processed = "file:" + lake.root().resolve("processed/reviews");
    assertEquals("Cannot pass quality: 1 error-level check failed: reviews (error): not checked: no dataset at "
        + processed + ": the last run of reviews that read rows (" + runId + ") wrote none: 2 read, 2 rejected"
        + " {rating_out_of_range=2} (its manifest and the quarantine say why; fix or replace the raw files and"
        + " rerun)", quality.manifest().orElseThrow().getError());
    // An input no job has written is still told to be run first.
    JobOutcome merge = jobs.run(new io.shoplake.common.curated.MasterMerge());
    assertEquals("Cannot merge: no transactions at file:" + lake.root().resolve("processed/transactions")
        + " (run the transactions job first)", merge.manifest().orElseThrow().getError());
  }

  private static void writeConf(String path, String content) {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(path), content + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
