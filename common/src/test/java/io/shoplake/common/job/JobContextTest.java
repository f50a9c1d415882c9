package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.bookmark.BookmarkOption;
import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.spark.GeneratedCodeJit;
import io.shoplake.common.spark.SparkSessions;
import io.shoplake.common.state.PendingState;
import io.shoplake.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobContextTest {
  @TempDir Path dir;

  @Test
  void aParquetReadCountsTenTimesItsSizeAgainstTheCodeGenerationThreshold() throws Exception {
    SparkSession spark = SharedSpark.get();
    String table = dir.resolve("table").toString();
    spark.range(5000).selectExpr("id", "cast(id % 13 as string) as k").write().parquet(table);
    Dataset<Row> read = spark.read().parquet(table);
    long parquetBytes = SparkSessions.fileBytes(read);
    // Between the Parquet's size and ten times it: a raw file that large is interpreted, the Parquet not.
    long threshold = parquetBytes * 3;
    JobContext ctx = context(spark, "shoplake.spark.codegen-min-input-bytes = " + threshold + "\n");
    try {
      SparkSessions.applyJobSettings(spark, ctx.config());
      ctx.fitToInputFiles(List.of(new InputFile("file:/raw/x.csv", "x.csv", "2025-01-01", parquetBytes, 0)));
      assertEquals("NO_CODEGEN", spark.conf().get("spark.sql.codegen.factoryMode"), "raw input of that size");

      SparkSessions.applyJobSettings(spark, ctx.config());
      ctx.fitToInputReads(List.of(read));
      assertEquals("FALLBACK", spark.conf().get("spark.sql.codegen.factoryMode"), "Parquet of the same size");

      ctx.fitToInputFiles(List.of(new InputFile("file:/raw/x.csv", "x.csv", "2025-01-01", parquetBytes, 0)));
      ctx.fitToInputReads(List.of(read));
      assertEquals("FALLBACK", spark.conf().get("spark.sql.codegen.factoryMode"),
          "a larger input after a small one in the same job (quality) generates code again");
      assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"));
    } finally {
      SparkSessions.applyJobSettings(spark, context(spark, "").config());
    }
  }

  @Test
  void aSmallInputKeepsC2OffTheGeneratedCodeUntilTheNextJobOrALargerInput() throws Exception {
    SparkSession spark = SharedSpark.get();
    JobContext ctx = context(spark, "shoplake.spark.c2-min-input-bytes = 1 MiB\n");
    InputFile small = new InputFile("file:/raw/x.csv", "x.csv", "2025-01-01", 1000, 0);
    InputFile large = new InputFile("file:/raw/y.csv", "y.csv", "2025-01-01", 2L << 20, 0);
    try {
      SparkSessions.applyJobSettings(spark, ctx.config());
      ctx.fitToInputFiles(List.of(small));
      assertTrue(GeneratedCodeJit.inPlace(), "a small input");
      ctx.fitToInputFiles(List.of(large));
      assertFalse(GeneratedCodeJit.inPlace(), "a larger input of the same job");
      ctx.fitToInputFiles(List.of(small));
      JobContext dev = context(spark, "");
      SparkSessions.applyJobSettings(spark, dev.config());
      assertFalse(GeneratedCodeJit.inPlace(), "the next job decides again");
      dev.fitToInputFiles(List.of(small));
      assertFalse(GeneratedCodeJit.inPlace(), "dev's configuration never keeps C2 off");

      JobContext both = context(spark, "shoplake.spark.codegen-min-input-bytes = 2 KiB\n"
          + "shoplake.spark.c2-min-input-bytes = 1 MiB\n");
      SparkSessions.applyJobSettings(spark, both.config());
      both.fitToInputFiles(List.of(small));
      assertFalse(GeneratedCodeJit.inPlace(), "an interpreted run generates no code to keep C2 off");
      both.fitToInputFiles(List.of(new InputFile("file:/raw/z.csv", "z.csv", "2025-01-01", 4096, 0)));
      assertTrue(GeneratedCodeJit.inPlace(), "above the interpreter's threshold, below C2's");
    } finally {
      SparkSessions.applyJobSettings(spark, context(spark, "").config());
    }
  }

  private JobContext context(SparkSession spark, String conf) throws Exception {
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, conf);
    LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", "dev", "--config-file", file.toString(),
        "--lake-root", dir.resolve("lake").toString()));
    LakePaths paths = new LakePaths(config.lakeRoot());
    FileBookmark bookmark = FileBookmark.open("test", paths, spark.sparkContext().hadoopConfiguration(),
        BookmarkOption.ENABLE, Optional.empty());
    return new JobContext(spark, config, JobArguments.parse("--env", "dev"), "test", "run-1", Instant.now(), paths,
        Optional.empty(), Optional.empty(), bookmark, new PendingState());
  }
}
