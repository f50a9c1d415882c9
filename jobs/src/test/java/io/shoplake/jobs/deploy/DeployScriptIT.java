package io.shoplake.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/deploy-glue.sh as a user runs it, after `package`: the dry run, and the real path against a
 * stand-in AWS CLI on PATH that records every call, answers like an empty account (nothing exists yet)
 * and refuses a request file that still holds a placeholder. Spark's jars are the provided jars of the
 * build (a SPARK_HOME made of target/glue-classpath), so nothing is fetched.
 */
class DeployScriptIT {
  private static final String ACCOUNT = "123456789012";
  private static final String STAND_IN = """
      #!/usr/bin/env bash
      echo "aws $*" >> "$CALLS"
      case "$1 $2" in
        "sts get-caller-identity") echo "%s" ;;
        "iam get-role"|"glue get-job"|"stepfunctions describe-state-machine"|"scheduler get-schedule") exit 254 ;;
        "athena start-query-execution") echo "q-1" ;;
        "athena get-query-execution") echo "SUCCEEDED" ;;
        "athena list-named-queries") echo "None" ;;
        *) for a in "$@"; do
             case "$a" in file://*)
               f="${a#file://}"
               [ -f "$f" ] || { echo "no file $f" >&2; exit 1; }
               ! grep -q 'AWS_ACCOUNT_ID\\|AWS_REGION' "$f" || { echo "placeholder left in $f" >&2; exit 1; } ;;
             esac
           done ;;
      esac
      """.formatted(ACCOUNT);

  @TempDir Path dir;

  @Test
  void theDryRunCallsNothingAndTheRealRunSendsEveryRequestResolved() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path aws = bin.resolve("aws");
    Files.writeString(aws, STAND_IN);
    Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path sparkHome = Files.createDirectories(dir.resolve("spark"));
    Files.createSymbolicLink(sparkHome.resolve("jars"), Path.of(System.getProperty("shoplake.glue.classpath")));
    Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    Files.writeString(submit, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path calls = dir.resolve("calls.log");

    Run dry = deploy(bin, sparkHome, calls, "staging", "--dry-run");
    assertEquals(0, dry.exitCode(), dry.output());
    assertTrue(dry.output().contains("Dry run: nothing was sent."), dry.output());
    assertTrue(dry.output().contains("aws stepfunctions create-state-machine --cli-input-json file://target/deploy/"
        + "staging/state-machine/staging-shoplake-pipeline.create.json"), dry.output());
    assertFalse(Files.exists(calls), "the dry run called the AWS CLI");

    Run real = deploy(bin, sparkHome, calls, "staging");
    assertEquals(0, real.exitCode(), real.output());
    List<String> sent = Files.readAllLines(calls);
    assertEquals(List.of("aws sts get-caller-identity --query Account --output text"), sent.subList(0, 1));
    assertEquals(io.shoplake.jobs.JobCatalog.jobNames().size(),
        sent.stream().filter(c -> c.startsWith("aws glue create-job")).count(), String.join("\n", sent));
    assertEquals(3, sent.stream().filter(c -> c.startsWith("aws iam put-role-policy")).count());
    assertEquals(1, sent.stream().filter(c -> c.startsWith("aws stepfunctions create-state-machine")).count());
    assertEquals(1, sent.stream().filter(c -> c.startsWith("aws scheduler create-schedule")).count());
    assertEquals(4, sent.stream().filter(c -> c.startsWith("aws athena create-named-query")).count());
    assertTrue(sent.indexOf(sent.stream().filter(c -> c.startsWith("aws iam create-role")).findFirst().orElseThrow())
        < sent.indexOf(sent.stream().filter(c -> c.startsWith("aws glue create-job")).findFirst().orElseThrow()));
    Path resolved = Path.of("..", "target", "deploy", "staging.resolved");
    try (Stream<Path> files = Files.walk(resolved)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(file, StandardCharsets.UTF_8).contains("${AWS_"), file.toString());
      }
    }
    assertTrue(Files.readString(resolved.resolve("scheduler/staging-shoplake-daily.json"))
        .contains("arn:aws:states:eu-west-1:" + ACCOUNT + ":stateMachine:staging-shoplake-pipeline"));
    try (Stream<Path> files = Files.walk(Path.of("..", "target", "deploy", "staging"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(file, StandardCharsets.UTF_8).contains(ACCOUNT), "the account in " + file);
      }
    }
  }

  private static Run deploy(Path bin, Path sparkHome, Path calls, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/deploy-glue.sh"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("..").toFile()).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("CALLS", calls.toString());
    builder.environment().put("AWS_REGION", "eu-west-1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "deploy-glue.sh did not end");
    return new Run(process.exitValue(), output);
  }

  private record Run(int exitCode, String output) {}
}
