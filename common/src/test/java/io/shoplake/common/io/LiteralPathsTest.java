package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files whose names hold glob characters are read once each, beside plain names, by the raw zone's readers. */
class LiteralPathsTest {
  private static final List<String> NAMES = List.of("plain.csv", "sales[1].csv", "q?.csv", "star*.csv", "{x}.csv",
      "back\\slash.csv", "a%20b #1.csv");
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  @Test
  void escapesOnlyGlobCharacters() {
    assertEquals("s3a://b/raw/date=2025-01-01/sales\\[1\\] \\{x\\}\\*\\?\\\\.csv",
        LiteralPaths.escaped("s3a://b/raw/date=2025-01-01/sales[1] {x}*?\\.csv"));
    assertEquals("file:/tmp/a b (1)+%20#.csv", LiteralPaths.escaped("file:/tmp/a b (1)+%20#.csv"));
    assertTrue(LiteralPaths.hasGlobCharacter("/tmp/lake[x]"));
    assertFalse(LiteralPaths.hasGlobCharacter("/tmp/my lake (copy)/+1"));
  }

  @Test
  void everyCsvFileIsReadOnceWhateverItsName() throws IOException {
    List<InputFile> files = write("csv", name -> "id\n" + name + "\n");
    assertEachNameReadOnce(CsvSource.read(spark, files, List.of("id"), RawFields.CORRUPT_RECORD));
  }

  @Test
  void everyJsonLinesFileIsReadOnceWhateverItsName() throws IOException {
    List<InputFile> files = write("jsonl", name -> "{\"id\":\"" + name.replace("\\", "\\\\") + "\"}\n");
    assertEachNameReadOnce(JsonLinesSource.read(spark, files, List.of("id"), RawFields.CORRUPT_RECORD));
  }

  /** Each name's file, holding its own name as its one record, beside a file the patterns would match. */
  private List<InputFile> write(String extension, java.util.function.Function<String, String> content)
      throws IOException {
    Path folder = Files.createDirectories(dir.resolve("raw/t/date=2025-01-01"));
    Files.writeString(folder.resolve("starX." + extension), content.apply("not listed"), StandardCharsets.UTF_8);
    List<InputFile> files = new ArrayList<>();
    for (String name : NAMES) {
      String fileName = name.replace(".csv", "." + extension);
      Path file = folder.resolve(fileName);
      Files.writeString(file, content.apply(name), StandardCharsets.UTF_8);
      // As the raw zone lists it: a Hadoop path, not a percent-encoded URI.
      files.add(new InputFile("file:" + file, "raw/t/date=2025-01-01/" + fileName, "2025-01-01",
          Files.size(file), 0));
    }
    return files;
  }

  /** One row per listed file, with its own record, and its name as the lineage. */
  private static void assertEachNameReadOnce(Dataset<Row> read) {
    List<Row> rows = read.select("id", "source_file").collectAsList();
    assertEquals(NAMES.stream().sorted().toList(), rows.stream().map(r -> r.getString(0)).sorted().toList());
    for (Row row : rows) {
      String file = row.getString(1);
      assertEquals(row.getString(0), file.substring(file.lastIndexOf('/') + 1, file.lastIndexOf('.')) + ".csv");
    }
  }
}
