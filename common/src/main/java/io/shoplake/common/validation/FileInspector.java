package io.shoplake.common.validation;

import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.io.CsvRecordScan;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.JsonLineCheck;
import io.shoplake.common.io.RawFileContent;
import io.shoplake.common.io.SerializableHadoopConf;
import io.shoplake.common.job.ErrorMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;

/**
 * Reads one raw file once, as a stream, and checks the file-level rules of its {@link RawFormat}: size
 * within the limit (checked first, from the listing, so an oversized file is never read), strict UTF-8
 * (a BOM tolerated), not empty, and the format (CSV header with the contract's columns; JSON Lines
 * whose lines are objects, up to a tolerated share of malformed lines that the job then quarantines
 * row by row). Computes the SHA-256 of the content on the way: S3 ETags are not content hashes for
 * multipart uploads, so duplicates are found by our own hash. A compressed file ({@code .gz}, ...) is
 * checked, counted and hashed as its decompressed content ({@link RawFileContent}), what the jobs read, so
 * the same export sent plain and gzipped is one content; one that does not decompress is rejected
 * ({@code corrupt_compression}). The size limit applies to the file as stored.
 *
 * <p>Serializable so it runs on executors, one task per file: the cost is one sequential read of each
 * new file and a JSON parse of each JSON line, spread over the cluster.
 */
public final class FileInspector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SerializableHadoopConf hadoopConf;
  private final long maxFileBytes;
  private final double maxMalformedLineRatio;

  public FileInspector(SerializableHadoopConf hadoopConf, long maxFileBytes, double maxMalformedLineRatio) {
    this.hadoopConf = hadoopConf;
    this.maxFileBytes = maxFileBytes;
    this.maxMalformedLineRatio = maxMalformedLineRatio;
  }

  /** Inspects the file at {@code uri} as a file of {@code format}. */
  public FileInspection inspect(String uri, RawFormat format) {
    Path path = new Path(uri);
    try {
      FileStatus status = path.getFileSystem(hadoopConf.get()).getFileStatus(path);
      long size = status.getLen();
      if (!addressable(path.getName())) {
        return new FileInspection(uri, size, null, UNSUPPORTED_NAME, "'" + path.getName() + "' holds ':', which"
            + " Hadoop's paths cannot take in a file name (the local file system and the readers fail on it);"
            + " rename it, e.g. with '-' for ':'", 0, false, List.of());
      }
      Optional<CompressionCodec> named = RawFileContent.codec(path, hadoopConf.get());
      if (named.isPresent() && !READ_CODECS.contains(named.get().getDefaultExtension())) {
        return new FileInspection(uri, size, null, UNSUPPORTED_COMPRESSION, "'" + path.getName() + "' is named as"
            + " compressed with " + named.get().getClass().getSimpleName().replace("Codec", "") + " ("
            + named.get().getDefaultExtension() + "), which the raw zone does not read (zstd needs a native library"
            + " Spark may lack; Hadoop's lz4 and snappy read only Hadoop's own framing, not the command-line tools'"
            + " files); send it as .gz, .bz2 or .deflate, or plain", 0, false, List.of());
      }
      if (size > maxFileBytes) {
        return new FileInspection(uri, size, null, "too_large",
            size + " bytes, over the limit of " + maxFileBytes + " (shoplake.validate.max-file-size)", 0, false,
            List.of());
      }
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (InputStream content = RawFileContent.open(path, hadoopConf.get());
          DigestInputStream digesting = new DigestInputStream(content, sha256)) {
        Check check;
        try {
          check = readLines(digesting, format);
          digesting.transferTo(OutputStream.nullOutputStream()); // the rest of a rejected file, for its hash
        } catch (IOException e) {
          if (named.isEmpty() || !readsWhole(path)) {
            throw e;
          }
          // The bytes read, the decompression did not: a truncated or mislabelled compressed file.
          return new FileInspection(uri, size, null, "corrupt_compression", path.getName() + " cannot be"
              + " decompressed as " + named.get().getDefaultExtension() + ": " + ErrorMessages.oneLine(e)
              + " (cut short in transfer, or not compressed as its name says?)", 0, false, List.of());
        }
        String hash = HexFormat.of().formatHex(sha256.digest());
        if (check.reason == null && size == 0) {
          check = Check.fail("empty", "0 bytes");
        }
        String suffix = codecSuffixInAnotherCase(path.getName());
        if ("not_utf8".equals(check.reason) && suffix != null) {
          check = Check.fail(check.reason, check.detail + " (its name ends in '" + suffix + "', and Hadoop decompresses"
              + " only the lower-case '" + suffix.toLowerCase(Locale.ROOT) + "': rename it)");
        }
        return new FileInspection(uri, size, hash, check.reason, check.detail, check.records, check.wholeFileRead,
            check.extraColumns);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + " to validate it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash files: this JVM has no SHA-256", e);
    }
  }

  /** The reason of a CSV file with a quoted field opened after a space ({@link CsvRecordScan#quoteAfterSpaceLine}). */
  public static final String QUOTE_AFTER_SPACE = "quote_after_space";

  /** The reason of a CSV file with a record of more fields than the reader takes ({@link CsvSource#MAX_FIELDS}). */
  public static final String TOO_MANY_FIELDS = "too_many_fields";

  /**
   * The reason of a file whose name asks for a compression the raw zone does not read ({@code .zst}, {@code .lz4},
   * {@code .snappy}): Hadoop knows their codecs by name, but zstd needs a native library Spark may not have (the
   * check itself failed with "native zStandard library not available", on every rerun), and its lz4 and snappy
   * codecs read Hadoop's own block framing, not the files the command-line tools write. Refused by name, unread.
   */
  public static final String UNSUPPORTED_COMPRESSION = "unsupported_compression";

  /** The compressions the raw zone reads, by their file name extension. */
  private static final Set<String> READ_CODECS = Set.of(".gz", ".bz2", ".deflate");

  /** The reason of a file whose name Hadoop cannot address; such a file is neither read nor copied. */
  public static final String UNSUPPORTED_NAME = "unsupported_name";

  /**
   * False for a file name with a ':' (an export stamped {@code 2025-03-01T10:00:00}): Hadoop parses a
   * relative path with a colon as a URI scheme (HADOOP-3257), so its local file system fails to open the
   * file and Spark's readers fail on it; refused by name, before any read.
   */
  private static boolean addressable(String fileName) {
    return fileName.indexOf(':') < 0;
  }

  /** True when {@code path}'s stored bytes read to the end: a failure while decompressing them was not the read's. */
  private boolean readsWhole(Path path) {
    try (InputStream raw = path.getFileSystem(hadoopConf.get()).open(path)) {
      raw.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Check readLines(InputStream in, RawFormat format) throws IOException {
    LineReader reader = new LineReader(in);
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    CsvRecordScan csv = format.csv() ? new CsvRecordScan() : null;
    long lineNumber = 0;
    long dataLines = 0;
    long malformed = 0;
    String firstMalformed = null;
    String firstDataLine = null; // stripped, the first 2 characters at most: a JSON document's start
    boolean keysChecked = false; // the keys of the first JSON object, against the contract's fields
    boolean headerSeen = false;
    List<String> extra = List.of();
    while (reader.next()) {
      lineNumber++;
      byte[] bytes = reader.bytes();
      int start = reader.start();
      int end = start + reader.length();
      String binary = lineNumber == 1 ? binaryKind(bytes, start, end) : null;
      if (binary != null) { // whatever its first line decodes to
        return Check.fail("not_utf8", "the file is " + binary + ", not text; the raw zone takes CSV or JSON Lines,"
            + " plain or compressed and named .gz, .bz2 or .deflate");
      }
      String utf16 = lineNumber == 1 ? utf16WithoutBom(bytes, start, end) : null;
      if (utf16 != null) { // valid UTF-8 byte by byte, so told apart before the UTF-8 check
        return Check.fail("not_utf8", "line 1 is UTF-16 (" + utf16 + ") without a byte-order mark: a NUL byte"
            + " beside each character; export it as UTF-8");
      }
      if (!isAscii(bytes, start, end) && !isUtf8(utf8, bytes, start, end)) {
        return Check.fail("not_utf8", notUtf8Detail(utf8, lineNumber, bytes, start, end));
      }
      if (startsWithBom(bytes, start, end)) {
        start += BOM.length; // tolerated at the start of a line, as the readers do
      }
      if (csv != null) {
        csv.accept(bytes, start, end - start);
        if (reader.endedWithNewline()) {
          csv.accept(NEWLINE, 0, 1);
        }
      }
      int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      if (isBlank(bytes, start, lineEnd)) {
        continue;
      }
      if (format.csv() && !headerSeen) {
        headerSeen = true;
        // A lone '\r' ends the header as it ends any line for the readers (Hadoop's, BufferedReader's): a file
        // with old Mac line ends (Excel for Mac's "CSV (Macintosh)") is one '\n' line here, blank lines before
        // its header included.
        int headerStart = start;
        while (headerStart < lineEnd && (bytes[headerStart] & 0xff) <= ' ') {
          headerStart++;
        }
        List<String> header = CsvHeaders.parseHeaderLine(
            text(bytes, headerStart, firstCr(bytes, headerStart, lineEnd)).strip());
        List<String> named = CsvHeaders.withContractNames(header, format.requiredColumns());
        List<String> missing = new ArrayList<>(format.requiredColumns());
        missing.removeAll(named);
        if (!missing.isEmpty()) { // first: a file without a header (data in line 1) is told as such
          return Check.fail("missing_columns", "the header lacks " + CsvHeaders.quoted(missing) + " (header: "
              + CsvHeaders.quoted(header) + ")" + headerHint(header));
        }
        List<String> repeated = CsvHeaders.repeatedNames(named);
        if (!repeated.isEmpty()) {
          return Check.fail("repeated_columns", "the header repeats " + CsvHeaders.quoted(repeated) + " (header: "
              + CsvHeaders.quoted(header) + ")");
        }
        extra = CsvHeaders.extraColumns(named, format.requiredColumns());
        continue;
      }
      dataLines++;
      if (dataLines == 1 && !format.csv()) {
        String stripped = text(bytes, start, Math.min(lineEnd, start + 64)).strip();
        firstDataLine = stripped.substring(0, Math.min(2, stripped.length()));
      }
      String fault = format.csv() ? null : JsonLineCheck.fault(bytes, start, lineEnd - start);
      if (fault == null && !format.csv() && !keysChecked) {
        keysChecked = true;
        String otherCase = keysInAnotherCase(text(bytes, start, lineEnd), format.requiredColumns());
        if (otherCase != null) {
          return Check.fail("missing_columns", "line " + lineNumber + " " + otherCase);
        }
      }
      if (fault != null) {
        malformed++;
        if (firstMalformed == null) {
          firstMalformed = "line " + lineNumber + ": " + fault;
        }
      }
    }
    if (csv != null) {
      csv.finish();
      if (csv.quoteAfterSpaceLine() > 0 && !csv.endsInsideQuotes()) {
        return Check.fail(QUOTE_AFTER_SPACE, "line " + csv.quoteAfterSpaceLine() + " opens a quoted field after a"
            + " space (as in 'a, \"b\"'): RFC 4180 reads such a field as unquoted, so its value would keep the quotes"
            + " (\"b\") or be split at a comma inside them; export without spaces after the commas");
      }
      if (csv.widestRecord() > CsvSource.MAX_FIELDS) {
        return Check.fail(TOO_MANY_FIELDS, String.format(Locale.ROOT, "the record on line %d has %,d fields: Spark's"
            + " CSV reader stops at %,d and fails the whole file (a corrupt line, or a file that is not this dataset's)",
            csv.widestRecordLine(), csv.widestRecord(), CsvSource.MAX_FIELDS));
      }
    }
    // A CSV file's rows are its records, which a lone '\r' ends too; a JSON Lines file's are its '\n' lines.
    if ((csv != null ? csv.dataRecords() : dataLines) == 0) {
      return Check.fail("empty", format.csv() && lineNumber > 0 ? "a header and no rows" : "no rows");
    }
    if (malformed > maxMalformedLineRatio * dataLines) {
      return Check.fail("not_json_lines", malformed + " of " + dataLines + " lines are not one JSON object each"
          + " (first: " + firstMalformed + "), over the tolerated share " + maxMalformedLineRatio
          + " (shoplake.validate.max-malformed-line-ratio)" + jsonDocumentHint(firstDataLine, dataLines));
    }
    if (csv == null) {
      return new Check(null, null, dataLines, false, extra);
    }
    return new Check(null, null, csv.dataRecords(), csv.needsWholeFileRead(), extra);
  }

  /**
   * Why a header without the contract's columns may be so, for the rejection's detail, or "": Excel's
   * {@code sep=,} line above the header (written by tools that export "for Excel"), or one name holding
   * another separator (a TSV export, a spreadsheet saved in a locale whose list separator is ';').
   */
  private static String headerHint(List<String> header) {
    String first = header.get(0).replace("\"", "").strip().toLowerCase(Locale.ROOT);
    if (header.size() <= 2 && first.startsWith("sep=") && first.length() <= "sep=,".length()) {
      return " (line 1 is Excel's separator line, not a header: remove it; the raw zone takes the header as the"
          + " first line)";
    }
    if (header.size() != 1) {
      return "";
    }
    if (first.contains("\t")) {
      return " (separated by tabs, a TSV export? the raw zone takes ',')";
    }
    if (first.contains(";")) {
      return " (separated by ';', as a spreadsheet in some locales saves it? the raw zone takes ',')";
    }
    return first.contains("|") ? " (separated by '|'? the raw zone takes ',')" : "";
  }

  /**
   * What is wrong with a JSON object's keys, or null: none of them is a contract field, but some are one in another
   * letter case ({@code EVENT_ID}, as a database unload writes them). JSON keys are case-sensitive and the readers
   * take the contract's spelling, so every row of such a file would be quarantined for a missing key. Only the first
   * object of a file is looked at: one parse of one line.
   */
  static String keysInAnotherCase(String object, List<String> fields) {
    if (fields.isEmpty()) {
      return null;
    }
    List<String> keys = JsonLineCheck.keys(object);
    if (keys.stream().anyMatch(fields::contains)) {
      return null;
    }
    List<String> otherCase = keys.stream()
        .filter(k -> fields.stream().anyMatch(f -> f.equalsIgnoreCase(k))).toList();
    return otherCase.isEmpty() ? null : "names the contract's fields in another letter case "
        + CsvHeaders.quoted(otherCase) + "; JSON keys are case-sensitive: the raw zone takes "
        + CsvHeaders.quoted(fields);
  }

  /**
   * A hint for a JSON file that is one document, not JSON Lines, or "": a pretty-printed file (its first line
   * a lone '[' or '{', as {@code json.dump(indent=2)} and most API dumps write it) or an array on one line.
   */
  private static String jsonDocumentHint(String firstDataLine, long dataLines) {
    boolean spread = "[".equals(firstDataLine) || "{".equals(firstDataLine);
    boolean oneArray = dataLines == 1 && firstDataLine.startsWith("[");
    return spread || oneArray ? "; the file looks like one JSON document (an array, or objects over several lines):"
        + " the raw zone takes JSON Lines, one object per line (jq -c '.[]' turns an array into them)" : "";
  }

  /**
   * "little-endian" or "big-endian" when the line's first characters are ASCII in UTF-16 (a NUL byte after or
   * before each one), else null. Such a file has no invalid UTF-8 byte; SQL Server's {@code bcp -w} writes it.
   * Looks at the first 32 bytes of the first line only; a UTF-8 header or JSON line never holds a NUL.
   */
  private static String utf16WithoutBom(byte[] bytes, int start, int end) {
    int length = Math.min(end - start, 32) & ~1;
    if (length < 4) {
      return null;
    }
    boolean little = true;
    boolean big = true;
    for (int i = 0; i < length; i += 2) {
      boolean firstNul = bytes[start + i] == 0;
      boolean secondNul = bytes[start + i + 1] == 0;
      little &= !firstNul && secondNul;
      big &= firstNul && !secondNul;
    }
    return little ? "little-endian" : big ? "big-endian" : null;
  }

  /** The position of the first '\r' in {@code bytes[from, to)}, or {@code to}. */
  private static int firstCr(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\r') {
        return i;
      }
    }
    return to;
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] NEWLINE = {'\n'};

  private static boolean isAscii(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Strict UTF-8 (no malformed or overlong sequence, no surrogate); only lines with a non-ASCII byte get here. */
  private static boolean isUtf8(CharsetDecoder utf8, byte[] bytes, int start, int end) {
    try {
      utf8.reset().decode(ByteBuffer.wrap(bytes, start, end - start));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Where a line that is not UTF-8 goes wrong, for the rejection's detail: its first bad byte and where it is,
   * or, for a file that starts with a UTF-16 byte-order mark (a spreadsheet's "Unicode text"), that. Only
   * called for a rejected line: it decodes that line again.
   */
  private static String notUtf8Detail(CharsetDecoder utf8, long lineNumber, byte[] bytes, int start, int end) {
    String line = "line " + lineNumber + " is not valid UTF-8";
    if (lineNumber == 1 && end - start >= 2 && isUtf16Bom(bytes[start] & 0xff, bytes[start + 1] & 0xff)) {
      return String.format("%s: the file starts with a UTF-16 byte-order mark (%02X %02X); export it as UTF-8",
          line, bytes[start] & 0xff, bytes[start + 1] & 0xff);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
    utf8.reset().decode(in, CharBuffer.allocate(end - start), true); // stops at the first bad sequence
    int bad = in.position();
    if (bad >= end) {
      return line;
    }
    return String.format("%s: byte 0x%02X at byte %d of the line (a Latin-1 or Windows-1252 export?"
        + " the raw zone takes UTF-8)", line, bytes[bad] & 0xff, bad - start + 1);
  }

  /**
   * What a file that is not text is, from its first bytes (the formats people drop where CSV belongs), or
   * null: a spreadsheet workbook is the usual one, and "a Latin-1 export?" would send them the wrong way.
   * Only signatures with a control or non-UTF-8 byte, which no text line starts with.
   */
  private static String binaryKind(byte[] bytes, int start, int end) {
    if (startsWith(bytes, start, end, 'P', 'K', 3, 4)) {
      return "a ZIP archive (an .xlsx workbook, or a zipped export)";
    }
    if (startsWith(bytes, start, end, 0xD0, 0xCF, 0x11, 0xE0)) {
      return "an old Excel workbook (.xls)";
    }
    if (startsWith(bytes, start, end, 0x1F, 0x8B)) {
      return "gzip-compressed without a .gz name";
    }
    if (startsWith(bytes, start, end, 'B', 'Z', 'h') && end - start > 9 && bytes[start + 4] == 0x31
        && bytes[start + 5] == 0x41 && bytes[start + 6] == 0x59 && bytes[start + 7] == 0x26) {
      return "bzip2-compressed without a .bz2 name";
    }
    if (startsWith(bytes, start, end, 0x28, 0xB5, 0x2F, 0xFD)) {
      return "zstd-compressed (which the raw zone does not read)";
    }
    if (startsWith(bytes, start, end, 0xFD, '7', 'z', 'X', 'Z', 0x00)) {
      return "xz-compressed (which the raw zone does not read)";
    }
    if (startsWith(bytes, start, end, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
      return "a 7-Zip archive";
    }
    if (startsWith(bytes, start, end, 'P', 'A', 'R', '1')) {
      return "a Parquet file";
    }
    return null;
  }

  /** The compression suffix {@code name} ends in with another letter case ({@code .GZ}), or null. */
  static String codecSuffixInAnotherCase(String name) {
    for (String suffix : READ_CODECS) {
      int at = name.length() - suffix.length();
      if (at > 0 && name.regionMatches(true, at, suffix, 0, suffix.length()) && !name.endsWith(suffix)) {
        return name.substring(at);
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int start, int end, int... prefix) {
    if (end - start < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[start + i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUtf16Bom(int first, int second) {
    return first == 0xFF && second == 0xFE || first == 0xFE && second == 0xFF;
  }

  private static boolean startsWithBom(byte[] bytes, int start, int end) {
    return end - start >= BOM.length && bytes[start] == BOM[0] && bytes[start + 1] == BOM[1]
        && bytes[start + 2] == BOM[2];
  }

  /** The line's text; its bytes are valid UTF-8 (checked before). */
  private static String text(byte[] bytes, int start, int end) {
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * Nothing but spaces and control characters: not a record (the readers skip such lines too). On UTF-8
   * bytes: a byte of a multi-byte character is never blank, nor is its character.
   */
  private static boolean isBlank(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if ((bytes[i] & 0xff) > ' ') {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits a byte stream on '\n' (keeping a '\r' before it, which the CSV record count needs), so that
   * each line is checked on its own and an encoding error is reported with its true line number. Reads
   * the stream in blocks and hands out each line as a view of the block it lies in (copied only when it
   * spans two blocks): the check costs about one pass over the bytes, not a call per byte.
   */
  private static final class LineReader {
    private final InputStream in;
    private final byte[] block = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean endOfStream;
    private byte[] spanning = new byte[8192];
    private byte[] lineBytes;
    private int lineStart;
    private int lineLength;
    private boolean newline;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** Moves to the next line; false at the end. */
    boolean next() throws IOException {
      int carried = 0;
      while (true) {
        if (position == limit && !fill()) {
          if (carried == 0) {
            return false;
          }
          return line(spanning, 0, carried, false);
        }
        int newlineAt = indexOfNewline(block, position, limit);
        if (newlineAt >= 0) {
          int from = position;
          position = newlineAt + 1;
          if (carried == 0) {
            return line(block, from, newlineAt - from, true);
          }
          carried = carry(carried, from, newlineAt);
          return line(spanning, 0, carried, true);
        }
        carried = carry(carried, position, limit);
        position = limit;
      }
    }

    private boolean fill() throws IOException {
      if (endOfStream) {
        return false;
      }
      int read = in.read(block, 0, block.length);
      if (read < 0) {
        endOfStream = true;
        return false;
      }
      position = 0;
      limit = read;
      return true;
    }

    private int carry(int carried, int from, int to) {
      int length = to - from;
      if (carried + length > spanning.length) {
        spanning = Arrays.copyOf(spanning, Math.max(spanning.length * 2, carried + length));
      }
      System.arraycopy(block, from, spanning, carried, length);
      return carried + length;
    }

    private boolean line(byte[] bytes, int start, int length, boolean endedWithNewline) {
      lineBytes = bytes;
      lineStart = start;
      lineLength = length;
      newline = endedWithNewline;
      return true;
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
      for (int i = from; i < to; i++) {
        if (bytes[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    byte[] bytes() {
      return lineBytes;
    }

    int start() {
      return lineStart;
    }

    int length() {
      return lineLength;
    }

    /** True when the line last returned ended with '\n' (false only for a last line without one). */
    boolean endedWithNewline() {
      return newline;
    }
  }

  /**
   * @param records the records a reader must produce from the file: non-blank lines of JSON Lines, RFC 4180
   *     records of CSV after the header
   * @param wholeFileRead CSV only: a quoted field holds a line break, so the file must be read whole
   */
  private record Check(String reason, String detail, long records, boolean wholeFileRead, List<String> extraColumns) {
    static Check fail(String reason, String detail) {
      return new Check(reason, detail, 0, false, List.of());
    }
  }
}
