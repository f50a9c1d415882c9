package io.shoplake.jobs.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class archive ({@code scripts/lib.sh}: {@code submit_profile}, {@code class_archive_path},
 * {@code class_archive_check}, {@code run_submit}), run by bash the way every local launch runs it, in a copy
 * of the scripts folder beside a stand-in JDK and Spark jars: no JVM starts, so each case takes milliseconds.
 * The stand-in {@code java} maps an archive only when its file starts with {@code GOOD}, which is how the
 * real JVM treats a cut-short archive (it dies at start) for the purpose of the check.
 *
 * <p>Why: every local run goes through this code, and its failure modes (a recording killed with its job, an
 * archive cut short, a JVM that wrote none) happen on users' machines, not in the pipeline's tests, which
 * find the archive already recorded or record it once.
 */
class ClassArchiveLauncherTest {
  private static final String FAKE_JAVA = """
      #!/usr/bin/env bash
      # Stand-in for java: "-version" with an archive succeeds only when the archive's file starts with GOOD.
      archive=""
      for a in "$@"; do case "$a" in -XX:SharedArchiveFile=*) archive="${a#*=}" ;; esac; done
      [ -n "$archive" ] && [ "$(head -c 4 "$archive" 2>/dev/null)" = GOOD ] && exit 0
      exit 1
      """;

  @TempDir Path root;
  private Path jdk;
  private Path sparkHome;
  private Path archiveDir;

  @BeforeEach
  void scriptsBesideAStandInJdkAndSpark() throws IOException {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "lib.sh"), root.resolve("scripts").resolve("lib.sh"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(root.resolve("pom.xml"), "<project><properties><spark.version>3.5.6</spark.version>"
        + "</properties></project>\n");
    jdk = root.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Files.createDirectories(jdk.resolve("lib").resolve("server"));
    Path java = jdk.resolve("bin").resolve("java");
    Files.writeString(java, FAKE_JAVA);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(jdk.resolve("lib").resolve("server").resolve("classes.jsa"), "base archive");
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
    sparkHome = root.resolve(".cache").resolve("spark-3.5.6");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("jars").resolve("spark-core_2.12-3.5.6.jar"), "jar");
    archiveDir = root.resolve(".cache").resolve("class-archive");
  }

  @Test
  void aFirstLaunchRecordsTheArchiveAndTheNextMapsIt() throws Exception {
    Bash first = bash(Map.of(), """
        submit_profile
        run_submit bash -c 'echo GOOD > "$1"' _ "$CLASS_ARCHIVE_RECORDING"
        echo "status=$?"
        echo "options=${SUBMIT_PROFILE[*]}"
        echo "archive=$CLASS_ARCHIVE"
        """);
    assertEquals(0, first.exitCode(), first.output());
    assertTrue(first.output().contains("status=0"), first.output());
    assertTrue(first.output().contains("-XX:ArchiveClassesAtExit=\"" + archiveDir + "/recording-"), first.output());
    assertTrue(first.output().contains("Recording the driver's class archive"), first.output());
    Path archive = Path.of(first.value("archive"));
    assertEquals("GOOD", Files.readString(archive).strip());
    assertEquals(List.of(archive.getFileName().toString()), files(archiveDir));

    Bash second = bash(Map.of(), "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    assertEquals(0, second.exitCode(), second.output());
    assertTrue(second.value("options").contains("-XX:SharedArchiveFile=\"" + archive + "\""), second.output());
    assertFalse(second.output().contains("ArchiveClassesAtExit"), second.output());
    assertTrue(Files.exists(Path.of(archive + ".checked")), "the first use leaves no marker: " + files(archiveDir));
  }

  @Test
  void aRecordingKilledWithItsJobIsDroppedAndTheNextLaunchRecordsAgain() throws Exception {
    Bash killed = bash(Map.of(), """
        submit_profile
        run_submit bash -c 'echo GOOD > "$1"; kill -9 $$' _ "$CLASS_ARCHIVE_RECORDING"
        echo "status=$?"
        """);
    assertEquals("137", killed.value("status"), killed.output());
    assertEquals(List.of(), files(archiveDir), "a killed recording is never kept, even when it looks whole");

    Bash next = bash(Map.of(), "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    assertTrue(next.value("options").contains("-XX:ArchiveClassesAtExit="), next.output());
  }

  @Test
  void aJvmThatWroteNoArchiveIsNotAskedAgain() throws Exception {
    Bash none = bash(Map.of(),
        "submit_profile\nrun_submit true\necho \"status=$?\"\necho \"archive=$CLASS_ARCHIVE\"\n");
    assertEquals("0", none.value("status"), none.output());
    assertTrue(none.output().contains("The JVM wrote no class archive"), none.output());
    assertTrue(Files.exists(Path.of(none.value("archive") + ".failed")), none.output());

    Bash next = bash(Map.of(), "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    assertFalse(next.value("options").contains("Archive"), next.output());
  }

  @Test
  void anArchiveThatDoesNotLoadIsRemovedAndRecordedAgain() throws Exception {
    String archive = bash(Map.of(), "class_archive_path\necho \"archive=$CLASS_ARCHIVE\"\n").value("archive");
    Files.createDirectories(archiveDir);
    Files.writeString(Path.of(archive), "GO"); // cut short

    Bash launch = bash(Map.of(), "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    assertEquals(0, launch.exitCode(), launch.output());
    assertTrue(launch.output().contains("does not load (a recording cut short, or a partial copy): removed"),
        launch.output());
    assertFalse(Files.exists(Path.of(archive)));
    assertTrue(launch.value("options").contains("-XX:ArchiveClassesAtExit="), launch.output());
    assertFalse(launch.value("options").contains("SharedArchiveFile"), launch.output());
  }

  @Test
  void aRecordingLeftByAShellThatIsGoneIsRemovedAndALiveShellsIsKept() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
    Files.createDirectories(archiveDir);
    String gone = "recording-" + ended.pid() + "-1.jsa";
    String live = "recording-" + ProcessHandle.current().pid() + "-2.jsa";
    Files.writeString(archiveDir.resolve(gone), "GOOD, half");
    Files.writeString(archiveDir.resolve(live), "GOOD, being written");

    Bash launch = bash(Map.of(), "submit_profile\n");
    assertEquals(0, launch.exitCode(), launch.output());
    assertFalse(Files.exists(archiveDir.resolve(gone)), files(archiveDir).toString());
    assertTrue(Files.exists(archiveDir.resolve(live)), files(archiveDir).toString());
  }

  @Test
  void theArchivesKeyFollowsSparksJarsTheJdkAndTheDriverMemory() throws Exception {
    String script = "class_archive_path\necho \"archive=$CLASS_ARCHIVE\"\n";
    String before = bash(Map.of(), script).value("archive");
    assertEquals(before, bash(Map.of(), script).value("archive"), "the same jars and JVM, another key");
    assertNotEquals(before, bash(Map.of("SPARK_DRIVER_MEMORY", "2g"), script).value("archive"));
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.16\"\n");
    String newJdk = bash(Map.of(), script).value("archive");
    assertNotEquals(before, newJdk);
    Files.writeString(sparkHome.resolve("jars").resolve("hadoop-aws-3.3.4.jar"), "jar");
    assertNotEquals(newJdk, bash(Map.of(), script).value("archive"));
  }

  @Test
  void noArchiveWhereItDoesNotApply() throws Exception {
    List<Map<String, String>> settings = List.of(
        Map.of("SHOPLAKE_CLASS_ARCHIVE", "off"),
        Map.of("SHOPLAKE_LAUNCH_PROFILE", "none"),
        Map.of("SPARK_DRIVER_JAVA_OPTIONS", "-XX:StartFlightRecording=filename=/tmp/x.jfr"),
        Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/tmp/agent.jar"),
        Map.of("SPARK_SUBMIT_EXTRA", "--driver-class-path /tmp/extra"),
        Map.of("SPARK_HOME", root.resolve("another-spark").toString()));
    for (Map<String, String> setting : settings) {
      Bash launch = bash(setting, "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
      assertEquals(0, launch.exitCode(), setting + ": " + launch.output());
      assertFalse(launch.value("options").contains("Archive"), setting + ": " + launch.output());
    }
    Files.delete(jdk.resolve("lib").resolve("server").resolve("classes.jsa"));
    Bash noBase = bash(Map.of(), "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    assertFalse(noBase.value("options").contains("Archive"), "a JDK without a base archive: " + noBase.output());
    assertFalse(Files.exists(archiveDir), "nothing recorded or created where the archive does not apply");
  }

  @Test
  void theLaunchProfilesOptionsComeBeforeTheCallersAndAWrongSettingIsOneLine() throws Exception {
    Bash small = bash(Map.of("SHOPLAKE_LAUNCH_PROFILE", "small", "SPARK_DRIVER_JAVA_OPTIONS", "-XX:+UseParallelGC"),
        "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
    String options = small.value("options");
    assertTrue(options.contains("--conf spark.buffer.pageSize=2m"), options);
    assertTrue(options.indexOf("-XX:+UseSerialGC") < options.indexOf("-XX:+UseParallelGC"),
        "the JVM takes the last of two options, so the caller's must come last: " + options);
    assertTrue(options.contains("-XX:TieredStopAtLevel=1"), options);

    for (Map.Entry<String, String> wrong : Map.of("SHOPLAKE_LAUNCH_PROFILE", "fast", "SHOPLAKE_CLASS_ARCHIVE", "maybe")
        .entrySet()) {
      Bash launch = bash(Map.of(wrong.getKey(), wrong.getValue()), "submit_profile\necho reached\n");
      assertEquals(2, launch.exitCode(), launch.output());
      assertEquals(1, launch.output().lines().count(), launch.output());
      assertTrue(launch.output().startsWith("ERROR: " + wrong.getKey() + " must be "), launch.output());
      assertTrue(launch.output().contains("not '" + wrong.getValue() + "'"), launch.output());
    }
    // A heap the JVM cannot parse ("4gb": "Invalid maximum heap size", then a class archive marked as failed) or
    // Spark refuses (under 450 MiB: a stack trace at session start).
    for (String memory : List.of("4gb", "4", "abc", "0g", "256m", "524287k")) {
      Bash launch = bash(Map.of("SPARK_DRIVER_MEMORY", memory), "submit_profile\necho reached\n");
      assertEquals(2, launch.exitCode(), launch.output());
      assertEquals(1, launch.output().lines().count(), launch.output());
      assertTrue(launch.output().startsWith("ERROR: Cannot use SPARK_DRIVER_MEMORY='" + memory + "': "),
          launch.output());
    }
    for (String memory : List.of("512m", "1G", "4g", "524288k")) {
      Bash launch = bash(Map.of("SPARK_DRIVER_MEMORY", memory),
          "submit_profile\necho \"options=${SUBMIT_PROFILE[*]}\"\n");
      assertTrue(launch.value("options").contains("--driver-memory " + memory), launch.output());
    }
  }

  /** What a bash that sourced the copied lib.sh printed (stdout and stderr) and its exit code. */
  private record Bash(int exitCode, String output) {
    /** The value of the last {@code name=value} line. */
    String value(String name) {
      return output.lines().filter(l -> l.startsWith(name + "=")).reduce((a, b) -> b)
          .map(l -> l.substring(name.length() + 1))
          .orElseThrow(() -> new AssertionError("no " + name + "= line in:\n" + output));
    }
  }

  private Bash bash(Map<String, String> env, String script) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source \"$ROOT/scripts/lib.sh\"\n" + script)
        .directory(root.toFile()).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("SHOPLAKE_") || k.startsWith("SPARK_")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    Map<String, String> base = new HashMap<>(Map.of("ROOT", root.toString(), "JAVA_HOME", jdk.toString(),
        "SPARK_HOME", sparkHome.toString()));
    base.putAll(env);
    environment.putAll(base);
    assumeTrue(Files.getFileStore(root).getUsableSpace() > 1L << 30,
        "lib.sh records an archive only with 1 GB free beside it");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bash did not end");
    return new Bash(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
