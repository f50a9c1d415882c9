package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line a failure prints: what a user can do about a file name the JVM cannot encode, a too-wide CSV record. */
class ErrorMessagesTest {
  private static final InvalidPathException UNMAPPABLE = new InvalidPathException("/lake/raw/r\uFFFDsum\uFFFD.csv",
      "Malformed input or input contains unmappable characters");

  @Test
  void aFileNameTheLocaleCannotEncodeNamesTheLocaleAsTheCause() {
    assertEquals(" (this JVM names files in ANSI_X3.4-1968, from its locale: run it under a UTF-8 locale, e.g."
        + " LC_ALL=C.UTF-8)", ErrorMessages.fileNameHint(UNMAPPABLE, "ANSI_X3.4-1968"));
    assertEquals("", ErrorMessages.fileNameHint(UNMAPPABLE, "UTF-8"), "under UTF-8 the name is not the locale's fault");
    assertEquals("", ErrorMessages.fileNameHint(new InvalidPathException("a\u0000b", "Nul character not allowed"),
        "ANSI_X3.4-1968"));
  }

  @Test
  void aCsvRecordWiderThanSparksReaderIsNamedAsSuch(@TempDir Path dir) throws IOException {
    // What a job meets on a file validate never checked: Spark's own failure, with only an index in its message.
    Path wide = dir.resolve("wide.csv");
    Files.writeString(wide, "id\n1" + ",".repeat(20_480) + "\n");
    Exception failure = assertThrows(Exception.class,
        () -> SharedSpark.get().read().option("header", "true").csv(wide.toString()).collectAsList());
    String line = ErrorMessages.oneLine(failure);
    assertTrue(line.endsWith(" (a CSV record has more fields than Spark's reader takes, 20480: a corrupt line; validate"
        + " rejects such a file as too_many_fields, and checks again a file it accepted before once the file changes)"),
        line);
    assertEquals("", ErrorMessages.csvWidthHint(new ArrayIndexOutOfBoundsException(3)));
  }

  @Test
  void theOneLineCarriesTheHintWhenTheJvmIsNotUtf8() {
    String line = ErrorMessages.oneLine(new RuntimeException(UNMAPPABLE));
    String expected = "InvalidPathException: Malformed input or input contains unmappable characters: "
        + "/lake/raw/r\uFFFDsum\uFFFD.csv"
        + ErrorMessages.fileNameHint(UNMAPPABLE, System.getProperty("sun.jnu.encoding"));
    assertEquals(expected, line);
  }

  @Test
  void anExceptionWithoutAMessageIsPlacedAtOurNearestFrame() {
    NullPointerException npe = new NullPointerException();
    npe.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("java.util.Objects", "requireNonNull", "Objects.java", 209),
        new StackTraceElement("io.shoplake.common.transactions.TransactionMerge", "counts", "TransactionMerge.java",
            210)});
    assertEquals("NullPointerException at io.shoplake.common.transactions.TransactionMerge.counts"
        + "(TransactionMerge.java:210)", ErrorMessages.oneLine(new RuntimeException(npe)));
  }

  @Test
  void aFullDiskSaysSoAndNamesTheFolderSparkWasWriting() {
    java.io.IOException full = new java.io.IOException("No space left on device");
    // The chain of a Spark write on a full disk, as a job meets it (messages as Spark 3.5 writes them).
    Exception write = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 0 in stage 130.0"
        + " failed 1 times", new org.apache.spark.SparkException("[TASK_WRITE_FAILED] Task failed while writing rows"
        + " to file:/lake/curated/sales/.spark-staging-3f04148b-9046-4313-9184-a3d74c923e46.", full));
    assertEquals("IOException: No space left on device (a disk is full, writing file:/lake/curated/sales: free space"
        + " on it and rerun)", ErrorMessages.oneLine(write));
    assertEquals("IOException: No space left on device (a disk is full: free space on it and rerun)",
        ErrorMessages.oneLine(new RuntimeException(full)));
    // A shuffle write: no folder in the chain, but the frames say it was Spark's scratch space, not the lake.
    java.io.IOException shuffle = new java.io.IOException("No space left on device");
    shuffle.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("sun.nio.ch.FileDispatcherImpl", "write0", null, -2),
        new StackTraceElement("org.apache.spark.shuffle.sort.BypassMergeSortShuffleWriter", "writePartitionedData",
            "BypassMergeSortShuffleWriter.java", 218)});
    assertEquals("IOException: No space left on device (a disk is full, writing Spark's shuffle or cache files in its"
        + " scratch folder (SPARK_LOCAL_DIRS or spark.local.dir, /tmp by default): free space on it and rerun)",
        ErrorMessages.oneLine(new org.apache.spark.SparkException("Job aborted", shuffle)));
    // A session's start copies the job's jar there (frames as SPARK_LOCAL_DIRS on a 2 MB tmpfs gave them).
    java.io.IOException jarCopy = new java.io.IOException("No space left on device");
    jarCopy.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("java.io.FileOutputStream", "writeBytes", null, -2),
        new StackTraceElement("org.apache.spark.util.Utils$", "copyStream", "Utils.scala", 279),
        new StackTraceElement("org.apache.spark.util.Utils$", "fetchFile", "Utils.scala", 467)});
    assertEquals("IOException: No space left on device (a disk is full, copying the job's jar into Spark's scratch"
        + " folder (SPARK_LOCAL_DIRS or spark.local.dir, /tmp by default): free space on it and rerun)",
        ErrorMessages.oneLine(jarCopy));
    assertEquals("", ErrorMessages.diskFullHint(new java.io.IOException("Broken pipe"),
        new java.io.IOException("Broken pipe")));
  }

  @Test
  void tooManyOpenFilesNamesTheLimit() {
    // As a partitioned write met it under "ulimit -n 200": the file it could not open, then the reason.
    assertEquals("FileNotFoundException: /lake/processed/reviews/.part-00003.c000.snappy.parquet.crc (Too many open"
        + " files) (the process's limit of open files: raise its hard limit, ulimit -Hn, to 4096 or more, and rerun)",
        ErrorMessages.oneLine(new RuntimeException(new java.io.FileNotFoundException(
            "/lake/processed/reviews/.part-00003.c000.snappy.parquet.crc (Too many open files)"))));
  }
}
