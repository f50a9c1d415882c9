package io.shoplake.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.io.SerializableHadoopConf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file check reads lines as byte views of 64 KB blocks: the records, the UTF-8 verdict with its line
 * and the hash must be those of the file, wherever its lines fall on the blocks. No Spark needed.
 */
class FileInspectorTest {
  private static final RawFormat CSV = new RawFormat("t", true, List.of("id", "name"));
  private static final RawFormat JSON = new RawFormat("t", false, List.of());

  @TempDir
  Path dir;

  private final FileInspector inspector =
      new FileInspector(new SerializableHadoopConf(new Configuration()), 1L << 30, 0.5);

  @Test
  void countsCsvRecordsWithBomCrlfBlankLinesAndNoFinalNewline() throws Exception {
    FileInspection result = inspect("a.csv", CSV, bytes("\uFEFFid,name\r\n1,Ann\r\n\r\n  \r\n2,\"Bo, Jr\"\r\n3,Zoë"));
    assertNull(result.reason(), result.detail());
    assertEquals(3, result.records());
    assertFalse(result.wholeFileRead());
  }

  @Test
  void loneCrLineEndsAreLineEndsForTheHeaderAndTheRecords() throws Exception {
    FileInspection result = inspect("mac.csv", CSV, bytes("id,name\r1,Ann\r\r2,Bo\r"));
    assertNull(result.reason(), result.detail());
    assertEquals(2, result.records());
    assertFalse(result.wholeFileRead());
    assertEquals(1, inspect("mac-blank-first.csv", CSV, bytes("\r \rid,name\r1,Ann")).records(),
        "blank lines before the header are skipped, as the readers skip them");
    assertEquals("empty", inspect("mac-empty.csv", CSV, bytes("id,name\r\r")).reason());
    assertEquals("missing_columns", inspect("mac-headerless.csv", CSV, bytes("1,Ann\r2,Bo\r")).reason());
  }

  @Test
  void unnamedColumnsFromTrailingCommasAreExtraColumnsNotARepeat() throws Exception {
    FileInspection result = inspect("trailing.csv", CSV, bytes("id,name,,\n1,Ann,,\n"));
    assertNull(result.reason(), result.detail());
    assertEquals(List.of("", ""), result.extraColumns());
    FileInspection repeated = inspect("repeated.csv", CSV, bytes("id,name,name,\n1,Ann,Bo,\n"));
    assertEquals("repeated_columns", repeated.reason());
    assertEquals("the header repeats [\"name\"] (header: [\"id\", \"name\", \"name\", \"\"])", repeated.detail());
  }

  @Test
  void headerNamesMatchTheContractWhateverTheirLetterCase() throws Exception {
    FileInspection upper = inspect("unload.csv", CSV, bytes("ID,Name,NOTE\n1,Ann,x\n"));
    assertNull(upper.reason(), upper.detail());
    assertEquals(List.of("NOTE"), upper.extraColumns());
    FileInspection twice = inspect("twice.csv", CSV, bytes("id,name,ID\n1,Ann,2\n"));
    assertEquals("repeated_columns", twice.reason());
    assertEquals("the header repeats [\"id\"] (header: [\"id\", \"name\", \"ID\"])", twice.detail());
    FileInspection semicolons = inspect("semicolons.csv", CSV, bytes("id;name\n1;Ann\n"));
    assertEquals("missing_columns", semicolons.reason());
    assertTrue(semicolons.detail().endsWith("the raw zone takes ',')"), semicolons.detail());
  }

  @Test
  void aWorkbookOrAMisnamedCompressedFileIsToldAsSuchNotAsLatin1() throws Exception {
    java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
      out.putNextEntry(new java.util.zip.ZipEntry("xl/workbook.xml"));
      out.write(new byte[] {(byte) 0xC8, 0x01, (byte) 0xFF, 0x00});
    }
    FileInspection workbook = inspect("sales.csv", CSV, zip.toByteArray());
    assertEquals("not_utf8", workbook.reason());
    assertTrue(workbook.detail().contains("a ZIP archive (an .xlsx workbook"), workbook.detail());
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(bytes("id,name\n1,Ann\n"));
    }
    FileInspection misnamed = inspect("export.csv", CSV, gz.toByteArray());
    assertTrue(misnamed.detail().contains("gzip-compressed without a .gz name"), misnamed.detail());
    // Other containers dropped where CSV belongs: named for what they are, not "a Latin-1 export?".
    java.io.ByteArrayOutputStream bz2 = new java.io.ByteArrayOutputStream();
    bz2.write(new byte[] {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, (byte) 0xF1, 0x0A});
    java.util.Map<String, byte[]> containers = java.util.Map.of(
        "bzip2-compressed without a .bz2 name", bz2.toByteArray(),
        "zstd-compressed", new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x04, 0x00, 0x0A},
        "xz-compressed", new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0x00, 0x00, 0x04, 0x0A},
        "a 7-Zip archive", new byte[] {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0x00, 0x0A},
        "a Parquet file", new byte[] {'P', 'A', 'R', '1', 0x15, 0x04, (byte) 0x95, 0x0A});
    for (java.util.Map.Entry<String, byte[]> kind : containers.entrySet()) {
      FileInspection binary = inspect("export.csv", CSV, kind.getValue());
      assertEquals("not_utf8", binary.reason(), kind.getKey());
      assertTrue(binary.detail().startsWith("the file is " + kind.getKey()), binary.detail());
    }
    // A name in capitals, as some Windows tools write it: Hadoop's codecs match the lower-case suffix only.
    FileInspection upper = inspect("EXPORT.CSV.GZ", CSV, gz.toByteArray());
    assertEquals("not_utf8", upper.reason());
    assertTrue(upper.detail().endsWith(" (its name ends in '.GZ', and Hadoop decompresses only the lower-case '.gz':"
        + " rename it)"), upper.detail());
    assertEquals(null, FileInspector.codecSuffixInAnotherCase("export.csv.gz"));
    // Compressions Hadoop knows by name but the raw zone does not read: refused by name, before any read (zstd's
    // codec threw "native zStandard library not available", failing the whole check).
    for (String name : List.of("export.csv.zst", "export.csv.lz4", "export.csv.snappy")) {
      FileInspection refused = inspect(name, CSV, bytes("id,name\n1,Ann\n"));
      assertEquals(FileInspector.UNSUPPORTED_COMPRESSION, refused.reason(), name);
      assertTrue(refused.detail().startsWith("'" + name + "' is named as compressed with "), refused.detail());
      assertTrue(refused.detail().endsWith("; send it as .gz, .bz2 or .deflate, or plain"), refused.detail());
    }
    assertEquals(".Bz2", FileInspector.codecSuffixInAnotherCase("export.csv.Bz2"));
  }

  @Test
  void aQuotedLineBreakNeedsTheWholeFileReadAndCountsOneRecord() throws Exception {
    FileInspection result = inspect("q.csv", CSV, bytes("id,name\n1,\"two\nlines\"\n2,b\n"));
    assertNull(result.reason(), result.detail());
    assertTrue(result.wholeFileRead());
    assertEquals(2, result.records());
  }

  @Test
  void loneLfLinesInACrlfFileAreReadByLinesWhichEndEveryRecordAtThem() throws Exception {
    // A Windows export with rows appended by a Unix tool: the whole-file reader would join each LF line with
    // the next (it knows the CRLF separator only), so it is read by lines, each line its record.
    FileInspection mixed = inspect("mixed.csv", CSV, bytes("id,name\r\n1,Ann\r\n2,Bo\n3,Cy\n4,Di\r\n"));
    assertNull(mixed.reason(), mixed.detail());
    assertFalse(mixed.wholeFileRead());
    assertEquals(4, mixed.records());
    FileInspection oldMac = inspect("mixed-cr.csv", CSV, bytes("id,name\r1,Ann\n2,Bo\r"));
    assertFalse(oldMac.wholeFileRead());
    assertEquals(2, oldMac.records());
    // With a quoted line break too, no one reader gives every record; by lines only that record is cut, and
    // its two pieces are counted as the reader will produce them.
    FileInspection both = inspect("mixed-quoted.csv", CSV, bytes("id,name\r\n1,\"two\r\nlines\"\r\n2,Bo\n3,Cy\r\n"));
    assertFalse(both.wholeFileRead());
    assertEquals(4, both.records());
    FileInspection lfFileWithCrlfLines = inspect("lf-then-crlf.csv", CSV, bytes("id,name\n1,\"two\nlines\"\r\n2,Bo\r\n"));
    assertTrue(lfFileWithCrlfLines.wholeFileRead(), "a CRLF line in an LF file still ends at its LF");
    assertEquals(2, lfFileWithCrlfLines.records());
  }

  @Test
  void linesLongerThanABlockAndLinesAcrossBlocksAreCountedAndHashedWhole() throws Exception {
    StringBuilder text = new StringBuilder("id,name\n");
    text.append("1,").append("x".repeat(200_000)).append('\n'); // longer than three blocks
    int row = 2;
    while (text.length() < 3 * 65_536) { // many lines, some of them across a block boundary
      text.append(row++).append(",name é ").append(row).append('\n');
    }
    byte[] content = bytes(text.toString());
    FileInspection result = inspect("long.csv", CSV, content);
    assertNull(result.reason(), result.detail());
    assertEquals(row - 1, result.records());
    assertEquals(sha256(content), result.sha256());
    assertEquals(content.length, result.sizeBytes());
  }

  @Test
  void invalidUtf8IsReportedWithItsLineEvenAfterABlockBoundary() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("id,name\n"));
    for (int i = 0; i < 10_000; i++) {
      out.writeBytes(bytes(i + ",ok\n"));
    }
    out.writeBytes(new byte[] {'9', ',', (byte) 0xC3, '\n'}); // a truncated two-byte character
    out.writeBytes(bytes("10001,after\n"));
    byte[] content = out.toByteArray();
    FileInspection result = inspect("bad.csv", CSV, content);
    assertEquals("not_utf8", result.reason());
    assertEquals("line 10002 is not valid UTF-8: byte 0xC3 at byte 3 of the line (a Latin-1 or Windows-1252 export?"
        + " the raw zone takes UTF-8)", result.detail());
    assertEquals(sha256(content), result.sha256(), "the rest of a rejected file is hashed too");
  }

  @Test
  void aUtf16ExportIsToldAsSuch() throws Exception {
    String text = "\uFEFFid,name\r\n1,a\r\n";
    for (Charset utf16 : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      FileInspection result = inspect("unicode-text.csv", CSV, text.getBytes(utf16));
      assertEquals("not_utf8", result.reason(), utf16.name());
      String mark = utf16.equals(StandardCharsets.UTF_16LE) ? "FF FE" : "FE FF";
      assertEquals("line 1 is not valid UTF-8: the file starts with a UTF-16 byte-order mark (" + mark
          + "); export it as UTF-8", result.detail(), utf16.name());
    }
  }

  @Test
  void aUtf16ExportWithoutAByteOrderMarkIsToldAsSuch() throws Exception {
    // SQL Server's bcp -w and some database clients write UTF-16 without a mark: every other byte is NUL, so
    // the bytes are valid UTF-8 and the header would read as "i\0d\0,..." and be refused as missing_columns.
    String text = "id,name\r\n1,a\r\n";
    for (Charset utf16 : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      for (RawFormat format : List.of(CSV, JSON)) {
        byte[] content = (format == CSV ? text : "{\"id\":1}\n").getBytes(utf16);
        FileInspection result = inspect("bcp." + (format == CSV ? "csv" : "jsonl"), format, content);
        assertEquals("not_utf8", result.reason(), utf16.name());
        String order = utf16.equals(StandardCharsets.UTF_16LE) ? "little-endian" : "big-endian";
        assertEquals("line 1 is UTF-16 (" + order + ") without a byte-order mark: a NUL byte beside each"
            + " character; export it as UTF-8", result.detail(), utf16.name());
      }
    }
    FileInspection nulInAValue = inspect("nul.csv", CSV, bytes("id,name\n1,a\u0000b\n"));
    assertNull(nulInAValue.reason(), "a NUL inside a UTF-8 line is a value's, not an encoding");
  }

  @Test
  void aHeaderWithAnotherSeparatorOrExcelsSeparatorLineIsToldAsSuch() throws Exception {
    assertTrue(inspect("t.csv", CSV, bytes("id\tname\n1\ta\n")).detail()
        .endsWith("(separated by tabs, a TSV export? the raw zone takes ',')"));
    assertTrue(inspect("p.csv", CSV, bytes("id|name\n1|a\n")).detail()
        .endsWith("(separated by '|'? the raw zone takes ',')"));
    for (String line : List.of("sep=,", "\uFEFFsep=;", "SEP=\t", "\"sep=,\"")) {
      FileInspection excel = inspect("excel.csv", CSV, bytes(line + "\r\nid,name\r\n1,a\r\n"));
      assertEquals("missing_columns", excel.reason(), line);
      assertTrue(excel.detail().endsWith("(line 1 is Excel's separator line, not a header: remove it; the raw zone"
          + " takes the header as the first line)"), line + ": " + excel.detail());
    }
  }

  @Test
  void overlongEncodingsAndSurrogatesAreNotUtf8() throws Exception {
    byte[] overlong = {'i', 'd', ',', 'n', 'a', 'm', 'e', '\n', '1', ',', (byte) 0xC0, (byte) 0xAF, '\n'};
    assertEquals("not_utf8", inspect("overlong.csv", CSV, overlong).reason());
    byte[] surrogate = {'i', 'd', ',', 'n', 'a', 'm', 'e', '\n', '1', ',', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};
    assertEquals("not_utf8", inspect("surrogate.csv", CSV, surrogate).reason());
  }

  @Test
  void jsonLinesCountNonBlankLinesAndTellTheFirstMalformedOne() throws Exception {
    FileInspection fine = inspect("a.jsonl", JSON, bytes("{\"a\":\"ü\"}\n\n{\"a\":2}\r\n{\"a\":3}"));
    assertNull(fine.reason(), fine.detail());
    assertEquals(3, fine.records());
    FileInspection bad = inspect("b.jsonl", JSON, bytes("{\"a\":1}\nnot json\n[1]\n"));
    assertEquals("not_json_lines", bad.reason());
    assertTrue(bad.detail().startsWith("2 of 3 lines") && bad.detail().contains("first: line 2"), bad.detail());
  }

  @Test
  void aJsonDocumentInsteadOfJsonLinesIsToldAsSuch() throws Exception {
    String hint = "; the file looks like one JSON document (an array, or objects over several lines): the raw zone"
        + " takes JSON Lines, one object per line (jq -c '.[]' turns an array into them)";
    for (String document : List.of("[\n  {\n    \"a\": 1\n  },\n  {\n    \"a\": 2\n  }\n]\n", "{\n  \"a\": 1\n}\n",
        "[{\"a\":1},{\"a\":2}]")) {
      FileInspection result = inspect("document.json", JSON, bytes(document));
      assertEquals("not_json_lines", result.reason(), document);
      assertTrue(result.detail().endsWith(hint), result.detail());
    }
    FileInspection arrays = inspect("arrays.jsonl", JSON, bytes("[{\"a\":1}]\n[{\"a\":2}]\n"));
    assertEquals("not_json_lines", arrays.reason());
    assertFalse(arrays.detail().contains("one JSON document"), "lines of arrays are lines: " + arrays.detail());
  }

  @Test
  void aQuotedFieldOpenedAfterASpaceRejectsTheFileNamingItsLine() throws Exception {
    // 'a, "b"': Spark reads the field as unquoted, so customer_id "C2" kept its quotes in processed.
    FileInspection spaced = inspect("spaced.csv", CSV, bytes("id,name\n1,Ann\n\n2,  \"Bo\"\n3, \"Cy\"\n"));
    assertEquals(FileInspector.QUOTE_AFTER_SPACE, spaced.reason());
    assertTrue(spaced.detail().startsWith("line 4 opens a quoted field after a space"), spaced.detail());
    assertEquals(FileInspector.QUOTE_AFTER_SPACE, inspect("first.csv", CSV, bytes("id,name\r\n \"1\",Ann\r\n")).reason());
    for (String fine : List.of("id,name\n1,\"a, \"\"b\"\"\"\n", "id,name\n1,\"Ann\" \n", "id,name\n1,a \"b\" c\n",
        "id,name\n1,\"two\n lines, \"\"x\"\"\"\n", "\"id\", \"name\"\n1,Ann\n")) {
      FileInspection result = inspect("fine.csv", CSV, bytes(fine));
      assertNull(result.reason(), fine + ": " + result.detail());
    }
  }

  @Test
  void aRecordWiderThanSparksCsvReaderRejectsTheFileNamingItsLine() throws Exception {
    // Spark's reader fails the whole read past 20,480 fields (maxColumns): the job failed on every rerun.
    String wide = "id,name\n1,Ann\n2" + ",".repeat(io.shoplake.common.io.CsvSource.MAX_FIELDS) + "\n3,Cy\n";
    FileInspection rejected = inspect("wide.csv", CSV, bytes(wide));
    assertEquals(FileInspector.TOO_MANY_FIELDS, rejected.reason());
    assertEquals("the record on line 3 has 20,481 fields: Spark's CSV reader stops at 20,480 and fails the whole file"
        + " (a corrupt line, or a file that is not this dataset's)", rejected.detail());
    // Exactly the limit, and commas inside a quoted field (one field), are read.
    for (String fine : List.of("id,name\n2" + ",".repeat(io.shoplake.common.io.CsvSource.MAX_FIELDS - 1) + "\n",
        "id,name\n1,\"" + ",".repeat(30_000) + "\"\n", "id,name\n1,\"a\n" + ",".repeat(30_000) + "\"\n")) {
      assertNull(inspect("fine.csv", CSV, bytes(fine)).reason());
    }
  }

  @Test
  void jsonKeysThatNameTheContractInAnotherLetterCaseRejectTheFile() throws Exception {
    RawFormat events = new RawFormat("events", false, List.of("event_id", "user_id"));
    FileInspection upper = inspect("unload.jsonl", events, bytes("{\"EVENT_ID\":\"E1\",\"USER_ID\":\"U\",\"X\":1}\n"
        + "{\"EVENT_ID\":\"E2\"}\n"));
    assertEquals("missing_columns", upper.reason());
    assertEquals("line 1 names the contract's fields in another letter case [\"EVENT_ID\", \"USER_ID\"]; JSON keys"
        + " are case-sensitive: the raw zone takes [\"event_id\", \"user_id\"]", upper.detail());
    assertNull(inspect("fine.jsonl", events, bytes("{\"event_id\":\"E1\",\"EXTRA\":{\"user_id\":1}}\n")).reason(),
        "one contract key is enough, and nested keys are not the line's");
    assertNull(inspect("mixed.jsonl", events, bytes("{\"event_id\":\"E1\",\"USER_ID\":\"U\"}\n")).reason(),
        "a key in another case beside a contract key is left to the rows' rules");
    assertNull(inspect("broken-first.jsonl", events, bytes("not json\n{\"event_id\":\"E1\"}\n{\"event_id\":\"E2\"}\n"
        + "{\"event_id\":\"E3\"}\n")).reason(), "the first object is the first line without a fault");
  }

  @Test
  void aHeaderWithoutTheContractColumnsIsToldAsSuch() throws Exception {
    FileInspection result = inspect("h.csv", CSV, bytes("\uFEFFid;name\n1;a\n"));
    assertEquals("missing_columns", result.reason());
  }

  private FileInspection inspect(String name, RawFormat format, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return inspector.inspect(file.toUri().toString(), format);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
