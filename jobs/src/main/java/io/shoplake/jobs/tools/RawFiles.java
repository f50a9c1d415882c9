package io.shoplake.jobs.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generator's open output files: one per dataset and raw date ({@code raw/<dataset>/date=…/}),
 * a CSV header written on open, rolled to a new part file every {@code rowsPerFile} lines.
 */
final class RawFiles implements AutoCloseable {
  private record Key(String dataset, LocalDate date) {}

  private final class Output {
    final Key key;
    final String extension;
    final String header;
    BufferedWriter writer;
    int part;
    long lines;

    Output(Key key, String extension, String header) {
      this.key = key;
      this.extension = extension;
      this.header = header;
    }

    void write(String line) throws IOException {
      if (writer == null || lines == rowsPerFile) {
        if (writer != null) {
          writer.close();
          part++;
        }
        Path file = root.resolve("raw").resolve(key.dataset()).resolve("date=" + key.date())
            .resolve(String.format("%s-part-%05d.%s", key.dataset(), part, extension));
        Files.createDirectories(file.getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        lines = 0;
        if (header != null) {
          writer.write(header);
          writer.write('\n');
        }
      }
      writer.write(line);
      writer.write('\n');
      lines++;
    }
  }

  private final Path root;
  private final long rowsPerFile;
  private final Map<Key, Output> open = new LinkedHashMap<>();

  RawFiles(Path root, long rowsPerFile) {
    this.root = root;
    this.rowsPerFile = rowsPerFile;
  }

  void csv(String dataset, LocalDate date, String header, String line) {
    write(dataset, date, "csv", header, line);
  }

  void jsonl(String dataset, LocalDate date, String line) {
    write(dataset, date, "jsonl", null, line);
  }

  private void write(String dataset, LocalDate date, String extension, String header, String line) {
    try {
      open.computeIfAbsent(new Key(dataset, date), k -> new Output(k, extension, header)).write(line);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + dataset + " for " + date + ": " + e.getMessage(), e);
    }
  }

  /** Closes the files of one date (the generator goes day by day, so few files are open at once). */
  void closeDate(LocalDate date) {
    open.entrySet().removeIf(e -> {
      if (e.getKey().date().equals(date)) {
        closeQuietly(e.getValue());
        return true;
      }
      return false;
    });
  }

  @Override
  public void close() {
    open.values().forEach(this::closeQuietly);
    open.clear();
  }

  private void closeQuietly(Output output) {
    try {
      if (output.writer != null) {
        output.writer.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
