package io.shoplake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's usage errors: one line on stderr, exit code 2, before any Spark work. */
class JobMainTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  @Test
  void anUnknownJobIsAUsageError() {
    assertEquals(2, JobMain.run(new String[] {"transaktions", "--env", "local"}));
    assertEquals("ERROR: Cannot run job 'transaktions': unknown; known jobs are validate, transactions, products, reviews, clickstream, quality, master-merge, catalog, parquet-to-json, jdbc-extract, ingest, pipeline",
        err.toString().trim());
  }

  @Test
  void aMissingJobNameIsAUsageError() {
    assertEquals(2, JobMain.run(new String[] {"--env", "local"}));
    assertTrue(err.toString().startsWith("ERROR: Cannot run a job: name one first"), err.toString());
  }

  @Test
  void aBadRunDateStopsBeforeSparkStarts() {
    assertEquals(2, JobMain.run(new String[] {"transactions", "--run-date", "2025-13-45", "--JOB_ID", "j1",
        "--enable-metrics"}));
    assertEquals("ERROR transactions: Cannot use --run-date '2025-13-45': expected a calendar date YYYY-MM-DD",
        err.toString().trim());
  }

  @Test
  void helpNamesTheKeysAJobTakesAndRunsNothing() {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, JobMain.run(new String[] {"master-merge", "--help"}));
      assertEquals(0, JobMain.run(new String[] {"pipeline", "-h"}));
    } finally {
      System.setOut(originalOut);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals("usage: scripts/run-job.sh master-merge [--key value ...]", lines[0]);
    assertTrue(lines[1].startsWith("  takes --env, --lake-root, --run-date,") && lines[1].contains("--full-refresh"),
        lines[1]);
    assertEquals("usage: scripts/run-job.sh pipeline [--key value ...]", lines[2]);
    assertTrue(lines[3].contains("--extract-stg-core") && lines[3].contains("--full-reload"), lines[3]);
    assertFalse(err.toString().contains("ERROR"), err.toString()); // (Spark's first log line may be there)
  }
}
