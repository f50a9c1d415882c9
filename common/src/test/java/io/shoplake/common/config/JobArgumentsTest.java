package io.shoplake.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {
  @Test
  void readsGlueStyleArgumentsAndIgnoresGluesOwn() {
    JobArguments args = JobArguments.parse("--JOB_ID", "j_123", "--enable-metrics", "--JOB_RUN_ID", "jr_abc",
        "--job-bookmark-option", "job-bookmark-enable", "--TempDir", "s3://tmp/x", "--env", "prod",
        "--run-date", "2025-01-15", "--enable-glue-datacatalog", "--JOB_NAME", "prod-transactions",
        "--lake-root=s3://prod-shoplake-lake", "--enable-continuous-cloudwatch-log");
    assertEquals("prod", args.environment());
    assertEquals(Optional.of(LocalDate.of(2025, 1, 15)), args.runDate());
    assertEquals(Optional.of("s3://prod-shoplake-lake"), args.lakeRoot());
    assertEquals(Optional.of("prod-transactions"), args.glueJobName());
    assertEquals(Optional.of("jr_abc"), args.glueJobRunId());
    assertEquals(Optional.of("true"), args.get("enable-metrics"));
    assertEquals(Optional.of("true"), args.get("enable-continuous-cloudwatch-log"));
  }

  @Test
  void defaultsToLocalAndAllDates() {
    JobArguments args = JobArguments.parse();
    assertEquals("local", args.environment());
    assertEquals(Optional.empty(), args.runDate());
  }

  @Test
  void rejectsAnImpossibleRunDate() {
    UsageException e = assertThrows(UsageException.class, () -> JobArguments.parse("--run-date", "2025-13-45"));
    assertEquals("Cannot use --run-date '2025-13-45': expected a calendar date YYYY-MM-DD", e.getMessage());
  }

  @Test
  void rejectsAnUnknownEnvironment() {
    UsageException e = assertThrows(UsageException.class, () -> JobArguments.parse("--env", "qa"));
    assertEquals("Cannot use --env 'qa': expected one of local, dev, staging, prod", e.getMessage());
  }

  @Test
  void aCommonKeyWithoutItsValueIsRefusedNotReadAsTrue() {
    // "--lake-root" last used to make the lake root "./true", and the run wrote its manifest there.
    UsageException last = assertThrows(UsageException.class, () -> JobArguments.parse("--env", "dev", "--lake-root"));
    assertEquals("Cannot use --lake-root without a value (--lake-root <value>)", last.getMessage());
    UsageException followed = assertThrows(UsageException.class,
        () -> JobArguments.parse("--config-file", "--lake-root", "/tmp/lake"));
    assertEquals("Cannot use --config-file without a value (--config-file <value>)", followed.getMessage());
    JobArguments again = JobArguments.parse("--lake-root", "--lake-root", "/tmp/lake");
    assertEquals(Optional.of("/tmp/lake"), again.lakeRoot(), "the last of a repeated key wins");
    JobArguments flags = JobArguments.parse("--enable-metrics", "--full-refresh", "true", "--lake-root=/tmp/lake");
    assertTrue(flags.givenWithoutValue("enable-metrics"));
    assertFalse(flags.givenWithoutValue("full-refresh"));
    assertFalse(flags.givenWithoutValue("lake-root"));
  }

  @Test
  void rejectsAPositionalArgument() {
    UsageException e = assertThrows(UsageException.class, () -> JobArguments.parse("--env", "dev", "extra", "x"));
    assertEquals("Cannot parse arguments: expected --key value, found 'extra' at position 3", e.getMessage());
  }
}
