package io.shoplake.jobs.killed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.ChildProcess;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.LakeDigest;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineChildRun;
import io.shoplake.jobs.testing.SampleLakeReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in a process of its own on the sample raw zone, interrupted again and again at
 * different steps, each time by a plain rerun of the same command: killed with {@code kill -9} while
 * clickstream writes its second dataset (after transactions, products and reviews committed), halted
 * after master-merge's output but before its state commit, killed while an export is staged; then a
 * last plain rerun. The lake (processed, curated, quarantine, exports, bookmarks and the file registry)
 * must equal an uninterrupted run's, with nothing temporary left, visible or hidden. One lake is
 * interrupted three times rather than three lakes once, to keep the test to four pipeline runs.
 */
class PipelineKillAndRerunTest {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);

  @TempDir Path dir;

  private static ChildProcess pipeline(TestLake lake, String awaited, String... extra) {
    List<String> args = new ArrayList<>(List.of("--lake-root", lake.uri()));
    args.addAll(List.of(extra));
    return ChildProcess.start(lake.root().getParent(), awaited, PipelineChildRun.class, args.toArray(new String[0]));
  }

  @Test
  void aPipelineInterruptedAtEveryKindOfMomentIsRepairedByPlainReruns() throws Exception {
    Map<String, String> expected = SampleLakeReference.get().digest();
    assertTrue(expected.containsKey("curated/sales") && expected.containsKey("exports/customer_summary"),
        expected.toString());

    TestLake lake = new TestLake(dir.resolve("interrupted")).withSampleRaw();
    String[] killMarkers = {
        "clickstream: build and write processed/sessions",
        null, // halted after master-merge's output, before its state commit
        "curated/customer_summary to "};
    for (String marker : killMarkers) {
      if (marker == null) {
        ChildProcess halted = pipeline(lake, null, "--halt-after-output-of", "master-merge");
        assertEquals(137, halted.waitFor(RUN_LIMIT), halted.output());
        assertTrue(halted.output().contains("halting after the output, before the state commit"), halted.output());
      } else {
        pipeline(lake, marker).killAtMarker(RUN_LIMIT);
      }
    }
    ChildProcess rerun = pipeline(lake, null);
    assertEquals(0, rerun.waitFor(RUN_LIMIT), rerun.output());
    assertTrue(rerun.output().contains("pipeline succeeded in "), rerun.output());

    assertEquals(expected, LakeDigest.of(lake.root()), "the lake after three interruptions and plain reruns");
    assertEquals(List.of(), LakeDigest.visibleLeftovers(lake.root()));
    assertEquals(List.of(), LakeDigest.staleStaging(lake.root()), "removed by the reruns");
  }
}
