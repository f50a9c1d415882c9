package io.shoplake.common.killed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.ChildProcess;
import io.shoplake.common.testing.LakeDigest;
import io.shoplake.common.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction job in a process of its own, killed with {@code kill -9} at several moments (while it
 * checks its files, while it writes processed/, and after its output is written but before its state is
 * committed), each time simply rerun: every rerun starts at once (the dead holder's lock is recognised),
 * and the lake, its quarantine and its state end equal to those of an uninterrupted run (order-free
 * digest), with no temporary file left, visible or hidden. Also: two runs at once, one refused with a
 * clear message. The reference run is the first of those two (one child run fewer): a refused run that
 * touched the lake would make the reference differ from the interrupted lake, which never saw one.
 */
class KillAndRerunTest {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  @TempDir Path dir;
  /** Where the uninterrupted reference run lives, shared by the tests of this class. */
  @TempDir static Path shared;
  private static Map<String, String> referenceDigest;

  /** The second of two runs at once, ended: it ran beside the reference run. */
  private static ChildProcess refusedSecondRun;

  /**
   * The digest of a run that nothing interrupted, on {@link #generate}'s data, in a child process too:
   * computed once. A second run is started against the same lake while it reads its input, and must be
   * refused without touching it.
   */
  private static synchronized Map<String, String> uninterruptedDigest() throws InterruptedException {
    if (referenceDigest == null) {
      TestLake reference = new TestLake(shared.resolve("reference"));
      generate(reference);
      ChildProcess first = transactions(reference, "transactions: read, validate and derive");
      first.awaitMarker();
      refusedSecondRun = transactions(reference, null);
      refusedSecondRun.waitFor(RUN_LIMIT);
      assertEquals(0, first.waitFor(RUN_LIMIT), first.output());
      referenceDigest = LakeDigest.of(reference.root());
      assertTrue(Long.parseLong(referenceDigest.get("processed/transactions").split(" ")[0]) > 15_000,
          referenceDigest.toString());
      assertTrue(referenceDigest.get("_state/transactions/bookmark").startsWith("3 entries"), referenceDigest.toString());
      assertEquals(List.of(), LakeDigest.visibleLeftovers(reference.root()));
    }
    return referenceDigest;
  }

  /** Three days of 6,000 transactions (with repeated ids, bad rows and a quoted line break) and their FX rates. */
  private static void generate(TestLake lake) {
    for (int day = 1; day <= 3; day++) {
      String date = "2025-02-0" + day;
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 6_000; i++) {
        String id = "T" + day + "-" + (i % 5_600); // ids repeat within a day: later times win
        String ts = date + "T" + String.format("%02d:%02d:%02dZ", (i / 3600) % 24, (i / 60) % 60, i % 60);
        String payment = i % 1000 == 0 ? "\"gift\ncard\"" : "card";
        String quantity = i % 997 == 0 ? "x" : String.valueOf(1 + i % 5);
        rows.add(id + ",C" + (i % 500) + ",P" + (i % 50) + "," + quantity + ",10.00,0,0.50,USD," + payment
            + ",completed," + ts + ",c" + (i % 500) + "@example.com,US");
      }
      lake.writeTransactions(date, "tx-" + day + ".csv", rows);
      lake.writeFxRates(date, "fx.csv", List.of(date + ",USD,1.0"));
    }
  }

  private static ChildProcess transactions(TestLake lake, String awaited, String... extra) {
    List<String> args = new ArrayList<>(List.of("transactions", "--lake-root", lake.uri()));
    args.addAll(List.of(extra));
    return ChildProcess.start(lake.root().getParent(), awaited, args.toArray(new String[0]));
  }

  @Test
  void aRunKilledAtAnyMomentIsRepairedByAPlainRerun() throws Exception {
    Map<String, String> expected = uninterruptedDigest();

    // One lake, interrupted at each moment in turn, each time by a plain rerun of the same command (what
    // an operator or a scheduler does), then a last plain rerun: two child runs fewer than a lake per moment.
    TestLake lake = new TestLake(dir.resolve("killed"));
    generate(lake);
    List<String[]> moments = List.of(
        new String[] {"while it checks its files", "new raw file(s) of transactions"},
        new String[] {"while it writes processed/", "transactions: write processed/transactions"},
        new String[] {"after its output, before its state commit", null});
    for (String[] moment : moments) {
      if (moment[1] == null) {
        ChildProcess halted = transactions(lake, null, "--halt-after-output");
        assertEquals(137, halted.waitFor(RUN_LIMIT), halted.output());
      } else {
        transactions(lake, moment[1]).killAtMarker(RUN_LIMIT);
      }
      assertTrue(Files.exists(lake.root().resolve("_state/transactions/_lock.json")),
          "the killed run left its lock behind (" + moment[0] + ")");
    }
    ChildProcess rerun = transactions(lake, null);
    assertEquals(0, rerun.waitFor(RUN_LIMIT), rerun.output());
    assertTrue(rerun.output().contains("taking over"), "the rerun took the dead run's lock over:\n" + rerun.output());
    assertEquals(expected, LakeDigest.of(lake.root()), "the lake after three interruptions and a rerun");
    assertEquals(List.of(), LakeDigest.visibleLeftovers(lake.root()));
    assertEquals(List.of(), LakeDigest.staleStaging(lake.root()), "removed by the rerun");
  }

  @Test
  void ofTwoRunsAtOnceOneIsRefusedWithAClearMessage() throws Exception {
    // The first of the two runs is the reference run; that the refused one left the lake intact is shown by
    // the interrupted lake, which no second run saw, ending equal to it.
    uninterruptedDigest();
    String second = refusedSecondRun.output();
    assertEquals(1, refusedSecondRun.waitFor(RUN_LIMIT), second); // ended: its exit code at once
    assertTrue(second.contains("Cannot start transactions: run "), second);
    assertTrue(second.contains("wait for it to end"), second);
  }

  static {
    try {
      Files.createDirectories(Path.of("target"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
