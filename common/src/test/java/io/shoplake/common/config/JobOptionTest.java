package io.shoplake.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.quality.QualityJob;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job options are typed and checked before Spark starts: a wrong value is one line and exit 2. */
class JobOptionTest {
  @TempDir Path dir;

  @Test
  void aFlagIsTrueOrFalseAndTrueWithoutAValue() {
    JobOption flag = JobOption.flag("full-refresh");
    flag.check(JobArguments.parse("--full-refresh", "false"));
    assertTrue(JobOption.flagValue(JobArguments.parse("--full-refresh"), "full-refresh"));
    assertTrue(JobOption.flagValue(JobArguments.parse("--full-refresh", "--env", "local"), "full-refresh"));
    assertFalse(JobOption.flagValue(JobArguments.parse("--full-refresh", "false"), "full-refresh"));
    assertFalse(JobOption.flagValue(JobArguments.parse(), "full-refresh"));
    UsageException e = assertThrows(UsageException.class, () -> flag.check(JobArguments.parse("--full-refresh", "yes")));
    assertEquals("Cannot use --full-refresh 'yes': it is a flag (true or false)", e.getMessage());
  }

  @Test
  void aMandatoryOptionMustBeGiven() {
    JobOption dataset = JobOption.text("dataset", "[a-z]+", "name a dataset").mandatory();
    dataset.check(JobArguments.parse("--dataset", "orders"));
    UsageException e = assertThrows(UsageException.class, () -> dataset.check(JobArguments.parse("--env", "local")));
    assertEquals("Cannot run without --dataset: name a dataset", e.getMessage());
    assertThrows(UsageException.class, () -> dataset.check(JobArguments.parse("--dataset", "Or ders")));
  }

  @Test
  void aListIsAllOrSomeOfItsChoices() {
    JobOption list = JobOption.list("reset", List.of("customers", "orders"));
    list.check(JobArguments.parse("--reset", "all"));
    list.check(JobArguments.parse("--reset", "orders, customers"));
    assertEquals(List.of("orders", "customers"),
        JobOption.listValue(JobArguments.parse("--reset", "orders,customers"), "reset", List.of("customers", "orders")));
    assertEquals(List.of("customers", "orders"),
        JobOption.listValue(JobArguments.parse("--reset", "all"), "reset", List.of("customers", "orders")));
    for (String wrong : List.of("orderz", "orders,", "true")) {
      UsageException e = assertThrows(UsageException.class, () -> list.check(JobArguments.parse("--reset", wrong)));
      assertEquals("Cannot use --reset '" + wrong + "': expected all or a comma-separated list of customers, orders",
          e.getMessage());
    }
  }

  @Test
  void aTextHasItsShapeAndIsNeverEmptyNorAFlag() {
    JobOption text = JobOption.text("export-name", "[a-z]+", "letters only");
    text.check(JobArguments.parse("--export-name", "sales"));
    for (String wrong : List.of("../x", "")) {
      assertThrows(UsageException.class, () -> text.check(JobArguments.parse("--export-name=" + wrong)));
    }
    UsageException e = assertThrows(UsageException.class, () -> text.check(JobArguments.parse("--export-name")));
    assertEquals("Cannot use --export-name without a value: letters only", e.getMessage());
    UsageException bareList = assertThrows(UsageException.class,
        () -> JobOption.list("reset", List.of("orders")).check(JobArguments.parse("--reset", "--env", "dev")));
    assertEquals("Cannot use --reset without a value: expected all or a comma-separated list of orders",
        bareList.getMessage());
  }

  @Test
  void aJobRefusesAWrongOptionBeforeSparkStartsAndWritesNoRun() throws Exception {
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    JobOutcome merge = jobs.run(new MasterMerge(), "--full-refresh", "yes");
    assertEquals(2, merge.exitCode());
    assertEquals("ERROR master-merge: Cannot use --full-refresh 'yes': it is a flag (true or false)",
        jobs.stderr().trim());
    assertTrue(merge.manifest().isEmpty(), "no run started");
    assertFalse(Files.exists(dir.resolve("lake/_runs")), "nothing written to the lake");

    JobOutcome quality = jobs.run(new QualityJob(), "--dataset", "transactionz");
    assertEquals(2, quality.exitCode());
    assertTrue(jobs.stderr().trim().startsWith("ERROR quality: Cannot use --dataset 'transactionz': expected all or"
        + " a comma-separated list of "), jobs.stderr());
    assertEquals(1, jobs.stderr().trim().lines().count());
  }

  @Test
  void aKeyTheJobDoesNotReadIsRefusedExceptOnARunGlueLaunched() {
    List<JobOption> options = List.of(JobOption.flag("full-refresh"));
    JobOption.checkKnown("master-merge", options, JobArguments.parse("--env", "dev", "--run-date", "2025-01-10",
        "--full-refresh", "--job-bookmark-option", "job-bookmark-disable"));
    UsageException typo = assertThrows(UsageException.class, () -> JobOption.checkKnown("master-merge", options,
        JobArguments.parse("--run-dat", "2025-01-10")));
    assertEquals("Cannot use --run-dat: master-merge takes no such argument (it takes --env, --lake-root, --run-date,"
        + " --config-file, --transactions-source, --bookmark, --job-bookmark-option, --bookmark-rewind-to,"
        + " --full-refresh)", typo.getMessage());
    assertThrows(UsageException.class, () -> JobOption.checkKnown("master-merge", List.of(),
        JobArguments.parse("--full-refresh")), "an option of another job");
    // Glue passes its own arguments (and the job's DefaultArguments such as --class) to every run.
    JobOption.checkKnown("master-merge", options, JobArguments.parse("--JOB_ID", "j_1", "--JOB_RUN_ID", "jr_1",
        "--JOB_NAME", "shoplake-master-merge", "--TempDir", "s3://b/tmp", "--enable-metrics", "--class", "x.Main"));
  }

  @Test
  void aJobRefusesAMisspeltArgumentBeforeSparkStartsAndWritesNoRun() throws Exception {
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    JobOutcome merge = jobs.run(new MasterMerge(), "--full-refesh");
    assertEquals(2, merge.exitCode());
    assertTrue(jobs.stderr().trim().startsWith("ERROR master-merge: Cannot use --full-refesh: master-merge takes no"
        + " such argument (it takes --env, "), jobs.stderr());
    assertEquals(1, jobs.stderr().trim().lines().count());
    assertTrue(merge.manifest().isEmpty(), "no run started");
    assertFalse(Files.exists(dir.resolve("lake/_runs")), "nothing written to the lake");
  }
}
