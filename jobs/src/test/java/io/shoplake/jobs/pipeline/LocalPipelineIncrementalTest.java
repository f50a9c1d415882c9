package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.DataFrameAssert;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.jobs.testing.PipelineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline over three runs: a second run with no new file changes no file of the lake; a late file
 * for an old date rewrites that date's partitions and the tables built on them, and nothing else.
 */
class LocalPipelineIncrementalTest {
  @TempDir Path dir;

  @Test
  void noNewFileChangesNothingAndALateFileOnlyItsDate() throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    Map<String, String> first = files(lake.root());

    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    assertEquals(first, files(lake.root()), "a run with no new file rewrites nothing");
    for (String step : List.of("transactions", "products", "reviews", "clickstream", "master-merge")) {
      assertTrue(jobs.stdout().lines().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(step)
          + " +succeeded +0 +0 +0 +0 .*")), step + " read nothing:\n" + jobs.stdout());
    }

    lake.writeTransactions("2025-01-01", "late.csv", List.of(TinyShop.transaction("T4", "C2", "P1",
        "2025-01-01T15:00:00Z")));
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    Map<String, String> third = files(lake.root());
    TreeSet<String> changed = new TreeSet<>();
    first.forEach((file, version) -> {
      if (!version.equals(third.get(file))) {
        changed.add(area(file));
      }
    });
    third.keySet().stream().filter(f -> !first.containsKey(f)).map(LocalPipelineIncrementalTest::area)
        .forEach(changed::add);
    assertEquals(new TreeSet<>(List.of(
        "_state/master-merge", "_state/parquet-to-json", "_state/products", "_state/transactions", "_state/validate",
        "curated/customer_summary",
        "curated/daily_product_performance/year=2025/month=1/day=1",
        "curated/sales/year=2025/month=1/day=1",
        // An export is a copy of a whole table: a changed table is exported again whole.
        "exports/customer_summary",
        "exports/daily_product_performance/year=2025/month=1/day=1",
        "exports/daily_product_performance/year=2025/month=1/day=2",
        "exports/sales/year=2025/month=1/day=1", "exports/sales/year=2025/month=1/day=2",
        // days_of_supply depends on the sales window: products (with its categories) is rebuilt when
        // transactions change; master-merge sees the columns it reads unchanged and recomputes nothing for it.
        "processed/categories", "processed/products",
        "processed/transactions/year=2025/month=1/day=1",
        "raw/transactions/date=2025-01-01")), changed);
    DataFrameAssert.assertSameRows(SharedSpark.get().sql("select * from values ('T1'), ('T2'), ('T3'), ('T4')"
        + " as t(transaction_id)"), jobs.read("curated/sales").select("transaction_id"));
  }

  /** The part of the lake a file belongs to: its dataset and, when partitioned, its day. */
  private static String area(String file) {
    String dirName = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
    return dirName.replaceAll("/[^/]*\\.(parquet|json|jsonl)$", "");
  }

  /**
   * Every file of the lake but the per-run records (_runs/, _dq/) and Hadoop's checksum and marker
   * files, with its size and modification time: a file rewritten with the same bytes counts as changed.
   */
  private static Map<String, String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .filter(f -> {
            String relative = root.relativize(f).toString();
            String name = f.getFileName().toString();
            return !relative.startsWith("_runs/") && !relative.startsWith("_dq/") && !name.startsWith(".")
                && !name.equals("_SUCCESS");
          })
          .collect(Collectors.toMap(f -> root.relativize(f).toString(), f -> {
            try {
              return Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }, (a, b) -> a, TreeMap::new));
    }
  }
}
