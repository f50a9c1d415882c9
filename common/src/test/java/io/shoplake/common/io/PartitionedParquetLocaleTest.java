package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitioned write on a JVM whose default locale is Turkish, where "i".toUpperCase() is "İ": a laptop's or a
 * build agent's locale must not decide whether a job can write. Spark upper-cases the write's
 * {@code partitionOverwriteMode} option in the default locale; every job failed there before.
 */
class PartitionedParquetLocaleTest {
  @TempDir Path dir;

  @Test
  void dynamicOverwriteWorksUnderATurkishDefaultLocale() {
    SparkSession spark = SharedSpark.get();
    String path = dir.resolve("processed/t").toUri().toString();
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      PartitionedParquet.overwritePartitions(spark.sql("select * from values (1, 1), (2, 2) as t(id, day)"), path,
          List.of("day"));
      PartitionedParquet.overwritePartitions(spark.sql("select * from values (3, 2) as t(id, day)"), path,
          List.of("day"));
    } finally {
      Locale.setDefault(before);
    }
    assertEquals(List.of(1, 3),
        spark.read().parquet(path).orderBy("id").select("id").as(Encoders.INT()).collectAsList(),
        "day 1 kept, day 2 replaced: a dynamic overwrite");
  }
}
