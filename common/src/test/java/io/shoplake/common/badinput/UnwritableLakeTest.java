package io.shoplake.common.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.common.transactions.TransactionEtl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake path that cannot be written, as a user meets it (a file where a folder must be, left by a
 * copy gone wrong): the run fails with one line on stderr naming what it could not do and exit code 1,
 * and changes no state, so that once the path is mended a plain rerun does the work.
 */
class UnwritableLakeTest {
  @TempDir Path dir;

  /**
   * Every file under {@code _state/} with its bytes, validate's registry included: the verdicts of the
   * file checks a failed run made are committed with its other state, so they are not kept either.
   */
  private static Map<String, String> state(TestLake lake) {
    Map<String, String> files = new TreeMap<>();
    Path state = lake.root().resolve("_state");
    if (!Files.exists(state)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(state)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(state.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void replaceWithFile(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.createDirectories(folder.getParent());
    Files.writeString(folder, "not a folder\n");
  }

  /** The only stderr line, after checking there is exactly one. */
  private static String oneLine(JobHarness jobs) {
    List<String> lines = jobs.stderr().lines().toList();
    assertEquals(1, lines.size(), jobs.stderr());
    return lines.get(0);
  }

  @Test
  void aFileWhereTheProcessedFolderMustBeFailsInOneLineAndChangesNoState() throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    lake.writeTransactions("2025-01-03", "t3.csv", List.of(TinyShop.transaction("T9", "C1", "P1",
        "2025-01-03T10:00:00Z")));
    replaceWithFile(lake.root().resolve("processed/transactions"));
    Map<String, String> before = state(lake);

    JobOutcome outcome = jobs.run(new TransactionEtl());

    assertEquals(1, outcome.exitCode());
    String line = oneLine(jobs);
    assertTrue(line.startsWith("ERROR transactions run "), line);
    assertTrue(line.contains("processed/transactions"), line);
    assertTrue(line.contains("(manifest: "), line);
    assertEquals("failed", outcome.manifest().orElseThrow().getStatus());
    assertEquals(before, state(lake), "the bookmark is as before the failed run");
    assertFalse(Files.exists(lake.root().resolve("_state/transactions/_lock.json")), "the lock is released");

    // Mended, a plain rerun reads exactly the new file: the failed run's bookmark did not take it.
    Files.delete(lake.root().resolve("processed/transactions"));
    JobOutcome rerun = jobs.run(new TransactionEtl());
    assertEquals(0, rerun.exitCode(), jobs.stderr());
    assertEquals(1, rerun.manifest().orElseThrow().getRowsRead());
    assertEquals(1, jobs.read("processed/transactions").count());
  }

  @Test
  void aFileWhereTheStateFolderMustBeFailsInOneLineBeforeReadingAnything() throws IOException {
    assertAFileAtFailsInOneLine("_state", "ERROR transactions run ");
  }

  @Test
  void aFileWhereTheManifestFolderMustBeFailsInOneLine() throws IOException {
    assertAFileAtFailsInOneLine("_runs", "ERROR transactions: Cannot ");
    assertFalse(Files.exists(dir.resolve("lake/_state")), "no state was written");
  }

  /** A file at the lake folder {@code folder}: one stderr line starting with {@code prefix} and naming it. */
  private void assertAFileAtFailsInOneLine(String folder, String prefix) throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    Files.writeString(lake.root().resolve(folder), "not a folder\n");
    JobHarness jobs = new JobHarness(lake);

    JobOutcome outcome = jobs.run(new TransactionEtl());

    assertEquals(1, outcome.exitCode());
    String line = oneLine(jobs);
    assertTrue(line.startsWith(prefix), line);
    assertTrue(line.contains(folder), line);
    assertFalse(Files.exists(lake.root().resolve("processed")), "nothing was written");
    assertEquals("not a folder\n", Files.readString(lake.root().resolve(folder)));
  }

  @Test
  void aLakeRootThatIsAFileFailsInOneLine() throws IOException {
    Path file = dir.resolve("lake-is-a-file");
    Files.writeString(file, "not a folder\n");
    JobHarness jobs = new JobHarness(new TestLake(file));

    JobOutcome outcome = jobs.run(new TransactionEtl());

    assertEquals(1, outcome.exitCode());
    String line = oneLine(jobs);
    assertTrue(line.startsWith("ERROR transactions: Cannot "), line);
    assertEquals("not a folder\n", Files.readString(file));
  }
}
