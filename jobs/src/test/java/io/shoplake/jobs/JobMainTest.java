package io.shoplake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
