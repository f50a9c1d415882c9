package io.shoplake.common.export;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetToJsonTest {
  @TempDir Path dir;

  @Test
  void exportsKeepThePartitionLayoutCompressAndRecordTheirStatus() throws IOException {
    TestLake lake = new TestLake(dir.resolve("lake"));
    Dataset<Row> rows = SharedSpark.get().sql("select * from values ('a', 1.5D, 2025, 1, 1), ('b', null, 2025, 1, 2),"
        + " ('c', 3.0D, 2025, 1, 2) as t(id, amount, year, month, day)");
    rows.write().mode(SaveMode.Overwrite).partitionBy("year", "month", "day")
        .parquet(lake.root().resolve("curated/things").toString());
    JobHarness jobs = new JobHarness(lake);

    JobOutcome outcome = jobs.run(new ParquetToJson(), "--dataset", "curated/things", "--compression", "gzip");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    Path export = lake.root().resolve("exports/things");
    try (Stream<Path> files = Files.walk(export)) {
      List<String> data = files.map(p -> export.relativize(p).toString()).filter(p -> p.endsWith(".json.gz")).toList();
      assertEquals(java.util.Set.of("year=2025/month=1/day=1", "year=2025/month=1/day=2"),
          data.stream().map(p -> p.substring(0, p.lastIndexOf('/'))).collect(java.util.stream.Collectors.toSet()));
    }
    assertSameRows(rows, SharedSpark.get().read().schema(rows.schema()).json(export.toString())
        .select("id", "amount", "year", "month", "day"));
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals("succeeded", m.getStatus());
    assertEquals(3, m.getRowsWritten());
    assertEquals("file:" + export, m.getOutputs().get("export"));

    // A rerun replaces the export, never adds to it.
    assertEquals(0, jobs.run(new ParquetToJson(), "--dataset", "curated/things").exitCode(), jobs.stderr());
    assertEquals(3, SharedSpark.get().read().json(export.toString()).count());
  }

  /**
   * A consumer that infers columns from a sample of lines (DuckDB's read_json, Spark's own reader, a warehouse's
   * autodetect) must find every column of the table in every object, a null one included.
   */
  @Test
  void everyObjectNamesEveryColumnAndWritesANullAsNull() throws IOException {
    TestLake lake = new TestLake(dir.resolve("lake"));
    SharedSpark.get().sql("select * from values ('a', cast(null as double), cast(null as string), 2025, 1, 1)"
        + " as t(id, amount, note, year, month, day)")
        .write().mode(SaveMode.Overwrite).partitionBy("year", "month", "day")
        .parquet(lake.root().resolve("curated/sparse").toString());
    JobHarness jobs = new JobHarness(lake);

    assertEquals(0, jobs.run(new ParquetToJson(), "--dataset", "curated/sparse").exitCode(), jobs.stderr());
    Path export = lake.root().resolve("exports/sparse");
    List<String> lines;
    try (Stream<Path> files = Files.walk(export)) {
      lines = files.filter(p -> p.toString().endsWith(".json")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(List.of("{\"id\":\"a\",\"amount\":null,\"note\":null}"), lines);
    // Spark's reader orders inferred columns by name; what matters is that none is missing.
    assertEquals(java.util.Set.of("id", "amount", "note", "year", "month", "day"),
        java.util.Set.of(SharedSpark.get().read().json(export.toString()).columns()));
  }

  @Test
  void aWrongDatasetArgumentIsAOneLineUsageError() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    JobOutcome outcome = jobs.run(new ParquetToJson(), "--dataset", "../../etc");
    assertEquals(2, outcome.exitCode());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    assertTrue(jobs.stderr().contains("Cannot use --dataset '../../etc': expected <zone>/<name>"), jobs.stderr());
    // Checked with the job's declared options before Spark starts: no run began, so no manifest.
    assertTrue(outcome.manifest().isEmpty());
  }
}
