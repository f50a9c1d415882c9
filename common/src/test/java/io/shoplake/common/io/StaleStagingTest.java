package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What killed runs left while writing a dataset is removed before the next write of it, and nothing else. */
class StaleStagingTest {
  @TempDir Path dir;

  private static void touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "x");
  }

  private List<String> everything() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void sparkAndOurStagingOfTheDatasetGoTheRestStays() throws IOException {
    Path sales = dir.resolve("curated/sales");
    touch(sales.resolve("year=2025/month=1/day=1/part-0.parquet"));
    touch(sales.resolve("_temporary/0/_temporary/attempt_1/part-1.parquet"));
    touch(sales.resolve(".spark-staging-4f1c/year=2025/month=1/day=2/part-2.parquet"));
    touch(dir.resolve("curated/_staging-sales-20261201T010203Z-0a1b2c3d/part-3.parquet"));
    touch(dir.resolve("curated/_staging-sales-jr_5e6f7a/part-4.parquet"));
    touch(dir.resolve("curated/_staging-sales-20261202T090000Z-ffffffff/part-5.parquet")); // this run's own
    touch(dir.resolve("curated/_staging-sales-eu-20261201T010203Z-0a1b2c3d/part-6.parquet")); // another dataset's
    touch(dir.resolve("curated/sales_summary/part-7.parquet"));

    PartitionedParquet.removeStaleStaging(new Configuration(), sales.toUri().toString(), "20261202T090000Z-ffffffff");

    assertEquals(List.of(
        "curated/_staging-sales-20261202T090000Z-ffffffff/part-5.parquet",
        "curated/_staging-sales-eu-20261201T010203Z-0a1b2c3d/part-6.parquet",
        "curated/sales/year=2025/month=1/day=1/part-0.parquet",
        "curated/sales_summary/part-7.parquet"), everything());
  }

  @Test
  void aDatasetNotWrittenYetIsFine() throws IOException {
    PartitionedParquet.removeStaleStaging(new Configuration(), dir.resolve("processed/none").toUri().toString(), null);
    assertEquals(List.of(), everything());
  }
}
