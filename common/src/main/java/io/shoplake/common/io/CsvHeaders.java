package io.shoplake.common.io;

import io.shoplake.common.lake.InputFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the header line of each raw CSV file on the driver (one small read per file) and groups the
 * files by header layout, so that each layout is read with a schema in its own column order: a file
 * whose columns come in another order, or with extra columns, is read correctly instead of shifted.
 * A UTF-8 byte order mark is ignored. A file that lacks a contract column fails the read with a
 * one-line message naming the file and the columns.
 */
public final class CsvHeaders {
  private CsvHeaders() {}

  /** Files grouped by their header's column names (in file order), in the order first seen. */
  public static Map<List<String>, List<InputFile>> groupByHeader(List<InputFile> files, List<String> required,
      Configuration hadoopConf) {
    Map<List<String>, List<InputFile>> groups = new LinkedHashMap<>();
    for (InputFile file : files) {
      List<String> header = withContractNames(header(file, hadoopConf), required);
      if (header.isEmpty()) {
        continue; // an empty file: no rows
      }
      List<String> repeated = repeatedNames(header);
      if (!repeated.isEmpty()) {
        throw new IllegalArgumentException("Cannot read " + file.relativePath() + ": its header repeats "
            + quoted(repeated) + " (header: " + quoted(header) + ")");
      }
      List<String> missing = new ArrayList<>(required);
      missing.removeAll(header);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("Cannot read " + file.relativePath() + ": its header lacks columns "
            + quoted(missing) + " (header: " + quoted(header) + ")");
      }
      groups.computeIfAbsent(header, h -> new ArrayList<>()).add(file);
    }
    return groups;
  }

  /**
   * The names a header gives to more than one column, each once, in header order. Unnamed columns (the empty
   * ones of trailing commas) are no repeat: they are extra columns, never read ({@link CsvSource} reads them
   * under names of its own).
   */
  public static List<String> repeatedNames(List<String> header) {
    Set<String> seen = new HashSet<>();
    Set<String> repeated = new LinkedHashSet<>();
    for (String name : header) {
      if (!name.isEmpty() && !seen.add(name)) {
        repeated.add(name);
      }
    }
    return List.copyOf(repeated);
  }

  /**
   * The header with each name that is a contract column but for its letter case (a database unload's
   * {@code TRANSACTION_ID}) given the contract's spelling, so the file is read instead of refused for
   * missing columns, as Spark and SQL engines match column names regardless of case. Other names are kept
   * as they are; two spellings of one column become a repeat, which is refused.
   */
  public static List<String> withContractNames(List<String> header, List<String> contract) {
    List<String> named = new ArrayList<>(header.size());
    for (String name : header) {
      named.add(contract.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst().orElse(name));
    }
    return named;
  }

  /** Header columns outside the contract, by file: reported, not read. */
  public static List<String> extraColumns(List<String> header, List<String> required) {
    List<String> extra = new ArrayList<>(header);
    extra.removeAll(required);
    return extra;
  }

  /**
   * Column names for a message, each in double quotes: {@code ["note", ""]}. Why quoted: a trailing comma on
   * every line of an export (a common spreadsheet fault) gives an unnamed extra column, which a plain list
   * shows as {@code []}, as if there were none.
   */
  public static String quoted(List<String> names) {
    return names.stream().map(n -> '"' + n + '"').collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * The column names of a CSV header line: split on commas, trimmed, surrounding quotes removed, a
   * leading UTF-8 byte order mark ignored.
   */
  public static List<String> parseHeaderLine(String line) {
    String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
    List<String> names = new ArrayList<>();
    for (String name : text.split(",", -1)) {
      String trimmed = name.trim();
      if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
        trimmed = trimmed.substring(1, trimmed.length() - 1);
      }
      names.add(trimmed);
    }
    return names;
  }

  /** The header of a CSV file (blank lines before it skipped), parsed as RFC 4180; one small read. */
  public static List<String> header(InputFile file, Configuration hadoopConf) {
    Path path = new Path(file.path());
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        RawFileContent.open(path, hadoopConf), StandardCharsets.UTF_8))) {
      String line = reader.readLine();
      while (line != null && line.replace("\uFEFF", "").isBlank()) {
        line = reader.readLine(); // blank lines before the header are skipped, as Spark's reader does
      }
      return line == null ? List.of() : parseHeaderLine(line);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the header of " + file.relativePath() + ": " + e.getMessage(), e);
    }
  }
}
