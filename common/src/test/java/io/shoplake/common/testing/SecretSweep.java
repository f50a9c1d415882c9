package io.shoplake.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Looks for planted secrets (the PII key, a database password) everywhere a run leaves text: what the
 * process printed to stdout and stderr (also what bypasses the runner's streams), a log file that
 * receives every log event of the run (Spark's at INFO as a user sees them, ours at DEBUG, where stack
 * traces go), and every file of the lake: manifests, {@code _dq/} records, state, the file quarantine,
 * exports as bytes, and the Parquet datasets (quarantine, processed, curated) as the rows a reader
 * sees, since Snappy pages could hide a value from a byte search.
 */
public final class SecretSweep implements AutoCloseable {
  private final Path logFile;
  private final FileAppender appender;
  private final PrintStream savedOut = System.out;
  private final PrintStream savedErr = System.err;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final Level savedLevel;

  /** Starts capturing: the process's stdout and stderr and every log event into {@code logFile}. */
  public SecretSweep(Path logFile) {
    this.logFile = logFile;
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    savedLevel = config.getLoggerConfig("io.shoplake").getLevel();
    appender = FileAppender.newBuilder().setName("secret-sweep").withFileName(logFile.toString())
        .setLayout(PatternLayout.newBuilder().withPattern("%d %p %c: %m%n%throwable").build()).build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
    Configurator.setLevel("io.shoplake", Level.DEBUG);
    PrintStream tee = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
  }

  @Override
  public void close() {
    System.setOut(savedOut);
    System.setErr(savedErr);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    Configurator.setLevel("io.shoplake", savedLevel);
    context.updateLoggers();
    appender.stop();
  }

  /** The log file's text (to check that it did receive the run's events). */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where any of {@code secrets} appears (a captured stream, the process's stdout/stderr, the log file, a
   * lake file or a dataset's rows), one line each; empty when nowhere. {@code streams} are the runner's
   * captured outputs.
   */
  public List<String> findIn(Path lake, List<String> streams, List<String> secrets) {
    List<String> found = new ArrayList<>();
    List<String> texts = new ArrayList<>(streams);
    texts.add(printed.toString(StandardCharsets.UTF_8));
    texts.add(log());
    for (String secret : secrets) {
      for (int i = 0; i < texts.size(); i++) {
        if (texts.get(i).contains(secret)) {
          found.add(secret + " in " + (i < streams.size() ? "captured stream " + i : i == texts.size() - 1
              ? "the log file" : "the process's stdout/stderr"));
        }
      }
    }
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          if (bytes.contains(secret)) {
            found.add(secret + " in " + lake.relativize(file));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String zone : List.of("processed", "curated", "quarantine")) {
      for (Path dataset : parquetDatasets(lake.resolve(zone))) {
        Dataset<Row> rows = SharedSpark.get().read().parquet(dataset.toString());
        for (Row row : rows.collectAsList()) {
          for (String secret : secrets) {
            if (row.toString().contains(secret)) {
              found.add(secret + " in a row of " + lake.relativize(dataset));
            }
          }
        }
      }
    }
    return found;
  }

  private static List<Path> parquetDatasets(Path zone) {
    if (!Files.isDirectory(zone)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(zone, 3)) {
      return walk.filter(Files::isDirectory).filter(d -> !d.equals(zone))
          .filter(d -> !zone.relativize(d).toString().contains("="))
          .filter(d -> !zone.relativize(d).toString().startsWith("_"))
          .filter(SecretSweep::holdsParquet).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A dataset root: Parquet files directly in it or in its partition folders. */
  private static boolean holdsParquet(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.anyMatch(c -> c.getFileName().toString().endsWith(".parquet")
          || (Files.isDirectory(c) && c.getFileName().toString().contains("=")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
