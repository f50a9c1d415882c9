package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.common.transactions.TransactionEtl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while Spark moved its staged partitions into place (the second step of a dynamic-overwrite
 * commit, seconds long on S3): the old partition folder already deleted, the new one, which carries the
 * old rows, only in {@code .spark-staging-<job>/}. The rerun must finish those moves before it reads what
 * the partition holds, or the rows of earlier runs in that partition would be lost for good.
 */
class InterruptedCommitTest {
  private static final String DAY_1 = "year=2025/month=1/day=1";

  @TempDir Path dir;

  private static void late(TestLake lake) {
    lake.writeTransactions("2025-01-01", "late.csv", List.of(TinyShop.transaction("T9", "C2", "P1",
        "2025-01-01T15:00:00Z")));
  }

  private static List<String> ids(JobHarness jobs) {
    return jobs.read("processed/transactions").select("transaction_id").orderBy("transaction_id").collectAsList()
        .stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void aRerunFinishesTheMovesOfAKilledCommitAndLosesNoRow() throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    Path bookmark = lake.root().resolve("_state/transactions/bookmark.json");
    Path checksum = bookmark.resolveSibling(".bookmark.json.crc"); // Hadoop's local file system keeps one
    byte[] bookmarkBefore = Files.readAllBytes(bookmark);
    byte[] checksumBefore = Files.readAllBytes(checksum);
    late(lake);
    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    assertEquals(List.of("T1", "T2", "T3", "T9"), ids(jobs));

    // Undo the end of that run's commit, as a kill during its partition moves leaves it: day 1 (T1, T2
    // carried, T9 new) back in the staging folder named after the write's job id, with its _SUCCESS,
    // and the run's state not committed.
    Path processed = lake.root().resolve("processed/transactions");
    Path day1 = processed.resolve(DAY_1);
    String job;
    try (Stream<Path> files = Files.list(day1)) {
      String name = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet")).findFirst()
          .orElseThrow();
      job = name.substring("part-00000-".length(), name.indexOf(".c000"));
    }
    Path staging = processed.resolve(".spark-staging-" + job);
    Files.createDirectories(staging.resolve(DAY_1).getParent());
    Files.move(day1, staging.resolve(DAY_1));
    Files.writeString(staging.resolve("_SUCCESS"), "");
    Files.write(bookmark, bookmarkBefore);
    Files.write(checksum, checksumBefore);
    assertEquals(List.of("T3"), ids(jobs), "the lake as the kill left it: day 1 is gone");

    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    assertEquals(List.of("T1", "T2", "T3", "T9"), ids(jobs));
    assertEquals(0, SharedSpark.get().read().parquet(processed.toString()).groupBy("transaction_id").count()
        .filter("count > 1").count(), "no row twice");
    try (Stream<Path> left = Files.list(processed)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".spark-staging-"))
          .toList(), "the staging is gone");
    }
  }
}
