package io.shoplake.common.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ChildRun} in a JVM of its own with this test JVM's classpath, reads its output and can
 * kill it with SIGKILL (what {@code kill -9 <pid>} sends) the moment a line containing a marker appears.
 */
public final class ChildProcess {
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CountDownLatch marker = new CountDownLatch(1);
  private final String awaited;

  private ChildProcess(Process process, String awaited) {
    this.process = process;
    this.awaited = awaited;
    Thread reader = new Thread(this::read, "child output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ChildRun args...}; {@code awaited} is the output text {@link #killAtMarker} waits for, or null. */
  public static ChildProcess start(Path workDir, String awaited, String... args) {
    return start(workDir, awaited, ChildRun.class, args);
  }

  /** Starts {@code main args...} (a class on this JVM's classpath), as {@link #start(Path, String, String...)}. */
  public static ChildProcess start(Path workDir, String awaited, Class<?> main, String... args) {
    return start(workDir, awaited, List.of(), main, args);
  }

  /** Starts {@code main args...} with {@code jvmOptions} after the usual ones (a later {@code -D} wins). */
  public static ChildProcess start(Path workDir, String awaited, List<String> jvmOptions, Class<?> main,
      String... args) {
    // C1 only: a child runs one short job on small data, where the C2 compiler costs more than it gains
    // (measured: 15-16 s instead of 19-23 s for the transaction job on the sample). Not for the test JVM,
    // whose code gets hot over many tests: there C1 alone made two test classes 50% slower.
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=4",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
    command.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "-Djdk.reflect.useDirectMethodHandle=false"));
    command.addAll(jvmOptions);
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(JobHarness.ENV);
    try {
      return new ChildProcess(builder.start(), awaited);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.append(line).append('\n');
        if (awaited != null && line.contains(awaited)) {
          marker.countDown();
        }
      }
    } catch (IOException e) {
      output.append("(output lost: ").append(e.getMessage()).append(")\n");
    }
  }

  /** Waits for the marker line, then kills the process with SIGKILL; fails if the run ended first. */
  public void killAtMarker(Duration timeout) throws InterruptedException {
    if (!marker.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the marker '" + awaited + "' never appeared:\n" + output);
    }
    if (!process.isAlive()) {
      throw new AssertionError("the run ended before it could be killed at '" + awaited + "':\n" + output);
    }
    try {
      new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      process.destroyForcibly();
    }
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the marker line without killing: the run is then known to be under way. */
  public void awaitMarker() throws InterruptedException {
    if (!marker.await(3, TimeUnit.MINUTES)) {
      throw new AssertionError("the marker '" + awaited + "' never appeared:\n" + output);
    }
  }

  /** Waits for the run to end; returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the run did not end in " + timeout + ":\n" + output);
    }
    return process.exitValue();
  }

  public String output() {
    return output.toString();
  }

  public long pid() {
    return process.pid();
  }
}
