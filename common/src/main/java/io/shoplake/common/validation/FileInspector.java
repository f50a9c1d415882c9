package io.shoplake.common.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.io.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Reads one raw file once, as a stream, and checks the file-level rules of its {@link RawFormat}: size
 * within the limit (checked first, from the listing, so an oversized file is never read), strict UTF-8
 * (a BOM tolerated), not empty, and the format (CSV header with the contract's columns; JSON Lines
 * whose lines are objects, up to a tolerated share of malformed lines that the job then quarantines
 * row by row). Computes the SHA-256 of the content on the way: S3 ETags are not content hashes for
 * multipart uploads, so duplicates are found by our own hash.
 *
 * <p>Serializable so it runs on executors, one task per file: the cost is one sequential read of each
 * new file and a JSON parse of each JSON line, spread over the cluster.
 */
public final class FileInspector implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

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
      if (size > maxFileBytes) {
        return new FileInspection(uri, size, null, "too_large",
            size + " bytes, over the limit of " + maxFileBytes + " (shoplake.validate.max-file-size)", 0, List.of());
      }
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (InputStream raw = path.getFileSystem(hadoopConf.get()).open(path);
          DigestInputStream digesting = new DigestInputStream(raw, sha256)) {
        Check check = readLines(digesting, format);
        digesting.transferTo(java.io.OutputStream.nullOutputStream()); // the rest of a rejected file, for its hash
        String hash = HexFormat.of().formatHex(sha256.digest());
        if (check.reason == null && size == 0) {
          check = Check.fail("empty", "0 bytes");
        }
        return new FileInspection(uri, size, hash, check.reason, check.detail, check.dataLines, check.extraColumns);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + " to validate it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash files: this JVM has no SHA-256", e);
    }
  }

  private Check readLines(InputStream in, RawFormat format) throws IOException {
    LineReader reader = new LineReader(in);
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    long lineNumber = 0;
    long dataLines = 0;
    long malformed = 0;
    String firstMalformed = null;
    List<String> extra = List.of();
    ByteBuffer bytes;
    while ((bytes = reader.next()) != null) {
      lineNumber++;
      String line;
      try {
        line = utf8.decode(bytes).toString();
      } catch (CharacterCodingException e) {
        return Check.fail("not_utf8", "line " + lineNumber + " is not valid UTF-8");
      }
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (format.csv() && lineNumber == 1) {
        List<String> header = CsvHeaders.parseHeaderLine(line.strip());
        if (new HashSet<>(header).size() != header.size()) {
          return Check.fail("repeated_columns", "the header repeats a column: " + header);
        }
        List<String> missing = new ArrayList<>(format.requiredColumns());
        missing.removeAll(header);
        if (!missing.isEmpty()) {
          return Check.fail("missing_columns", "the header lacks " + missing + " (header: " + header + ")");
        }
        extra = CsvHeaders.extraColumns(header, format.requiredColumns());
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      dataLines++;
      if (!format.csv() && !isJsonObject(line)) {
        malformed++;
        if (firstMalformed == null) {
          firstMalformed = "line " + lineNumber;
        }
        if (dataLines == 1) {
          return Check.fail("not_json_lines", "line " + lineNumber + " is not a JSON object");
        }
      }
    }
    if (dataLines == 0) {
      return Check.fail("empty", format.csv() && lineNumber > 0 ? "a header and no rows" : "no rows");
    }
    if (malformed > maxMalformedLineRatio * dataLines) {
      return Check.fail("not_json_lines", malformed + " of " + dataLines + " lines are not JSON objects (first: "
          + firstMalformed + "), over the tolerated share " + maxMalformedLineRatio
          + " (shoplake.validate.max-malformed-line-ratio)");
    }
    return new Check(null, null, dataLines, extra);
  }

  private static boolean isJsonObject(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && node.isObject();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Splits a byte stream on '\n' (a '\r' before it is dropped), so that each line is decoded on its own
   * and an encoding error is reported with its true line number.
   */
  private static final class LineReader {
    private final InputStream in;
    private byte[] line = new byte[8192];

    LineReader(InputStream in) {
      this.in = new java.io.BufferedInputStream(in, 1 << 16);
    }

    /** The next line's bytes, or null at the end. */
    ByteBuffer next() throws IOException {
      int length = 0;
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (length == line.length) {
          line = java.util.Arrays.copyOf(line, length * 2);
        }
        line[length++] = (byte) b;
      }
      if (b == -1 && length == 0) {
        return null;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      return ByteBuffer.wrap(line, 0, length);
    }
  }

  private record Check(String reason, String detail, long dataLines, List<String> extraColumns) {
    static Check fail(String reason, String detail) {
      return new Check(reason, detail, 0, List.of());
    }
  }
}
