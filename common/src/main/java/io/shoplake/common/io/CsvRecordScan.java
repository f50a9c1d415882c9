package io.shoplake.common.io;

/**
 * Counts the records of a CSV file as RFC 4180 defines them, from its text fed in order, and says how
 * Spark must read the file to produce exactly those records. Validate runs it while it hashes a file,
 * so the count costs no extra read; the jobs then check that the reader produced as many rows.
 *
 * <p>Two counts are kept at once, because Spark has two CSV readers:
 * <ul>
 *   <li>line by line (splittable, the fast path): a record ends at every line break ({@code \n},
 *       {@code \r\n} or a lone {@code \r}, as Hadoop's line reader splits);</li>
 *   <li>whole file ({@code multiLine}): a record ends at the file's line separator (the first line
 *       ending in the file, as the univocity parser detects it) outside a quoted field, so a quoted
 *       field may hold line breaks.</li>
 * </ul>
 * A file needs the whole-file reader when a quoted field holds a line break, or a lone {@code \r} stands
 * outside quotes in a file whose separator is not {@code \r} (a stray {@code \r} in a {@code \n} file): the
 * line reader would split such a record in two. Two kinds of file are read line by line all the same:
 * <ul>
 *   <li>one that ends inside an open quote (a truncated export), so that the unterminated line alone is
 *       quarantined instead of swallowing the rest of the file;</li>
 *   <li>one with a lone {@code \n} outside quotes where its separator is {@code \r\n} or {@code \r} (a file
 *       put together from a Windows and a Unix export): the whole-file reader knows one separator and would
 *       join each such line with the next, so every row of it would be quarantined. Read by lines, each
 *       line is its record; only a record whose quoted field holds a line break is cut there (its pieces
 *       quarantined as malformed rows).</li>
 * </ul>
 * In both counts (by lines, whole file), blank records (nothing but spaces and control characters) are
 * not records, and the first record, the header, is not counted.
 */
public final class CsvRecordScan {
  private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

  private static final int UNKNOWN = 0;
  private static final int LF = 1;
  private static final int CRLF = 2;
  private static final int CR = 3;

  // Line-by-line count.
  private long lines;
  private boolean lineHasContent;
  private boolean afterCr;
  private long lineBreaks; // every line break so far ('\r\n' once), for line numbers

  // Whole-file count.
  private int separator = UNKNOWN;
  private boolean pendingCr; // a '\r' seen, its meaning decided by the next character
  private State state = State.FIELD_START;
  private long records;
  private boolean recordHasContent;
  private boolean quotedLineBreak;
  private boolean strayLineBreak;
  private boolean mixedLineEnds; // a '\n' outside quotes that the file's '\r\n' or '\r' separator does not end at
  private boolean fieldIsSpaces = true; // the field read so far holds nothing but spaces (or nothing)
  private long quoteAfterSpaceLine; // the line (1-based) of the first quote opened after spaces, 0 when none
  private int fields = 1; // of the record read so far (its commas outside quotes, plus one)
  private int widestRecord;
  private long widestRecordLine;

  /** Feeds the next characters of the file (after its UTF-8 decoding; a BOM already removed). */
  public void accept(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      accept(text.charAt(i));
    }
  }

  /**
   * Feeds the next bytes of a UTF-8 file (a BOM already removed), without decoding them: every character
   * the scan tells apart (quote, comma, CR, LF, space and below) is ASCII, and every byte of a multi-byte
   * character is above them, as is the character it encodes, so the counts are those of the decoded text.
   */
  public void accept(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      accept((char) (bytes[i] & 0xff));
    }
  }

  private void accept(char c) {
    countLines(c);
    if (pendingCr) {
      pendingCr = false;
      if (c == '\n') {
        if (separator == UNKNOWN) {
          separator = CRLF;
        }
        if (separator == CRLF && state != State.QUOTED) {
          endRecord();
          return;
        }
        whole('\r');
        whole('\n');
        return;
      }
      if (separator == UNKNOWN) {
        separator = CR;
      }
      whole('\r');
    }
    if (c == '\r') {
      pendingCr = true;
      return;
    }
    if (c == '\n' && separator == UNKNOWN) {
      separator = LF;
    }
    whole(c);
  }

  /** Call once after the last character. */
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      if (separator == UNKNOWN) {
        separator = CR;
      }
      whole('\r');
    }
    if (state != State.QUOTED && recordHasContent) {
      records++;
    }
    if (lineHasContent) {
      lines++;
    }
  }

  /** True when the file must be read whole (multiLine) for its records to come out as RFC 4180 says. */
  public boolean needsWholeFileRead() {
    return !endsInsideQuotes() && !mixedLineEnds && (quotedLineBreak || strayLineBreak);
  }

  /** True when the file ends inside a quoted field: its last record is truncated. */
  public boolean endsInsideQuotes() {
    return state == State.QUOTED;
  }

  /** The data records (not the header) the chosen reader must produce. */
  public long dataRecords() {
    long count = needsWholeFileRead() ? records : lines;
    return Math.max(0, count - 1);
  }

  private void countLines(char c) {
    if (c == '\n' && afterCr) {
      afterCr = false;
      return;
    }
    afterCr = c == '\r';
    if (c == '\n' || c == '\r') {
      lineBreaks++;
      if (lineHasContent) {
        lines++;
      }
      lineHasContent = false;
    } else if (c > ' ') {
      lineHasContent = true;
    }
  }

  /** One character of the whole-file model ('\r\n' separators already taken out). */
  private void whole(char c) {
    boolean lineBreak = c == '\n' || c == '\r';
    if (state == State.QUOTED) {
      if (c == '"') {
        state = State.QUOTE_IN_QUOTED;
      } else if (lineBreak) {
        quotedLineBreak = true;
      }
      return;
    }
    if ((separator == LF && c == '\n') || (separator == CR && c == '\r')) {
      endRecord();
      return;
    }
    if (c == '\n') {
      mixedLineEnds = true;
    } else if (lineBreak) {
      strayLineBreak = true;
    }
    if (c > ' ') {
      recordHasContent = true;
    }
    // Not in the header (the first record), whose names are read apart and unquoted whatever the spaces.
    if (state == State.UNQUOTED && c == '"' && fieldIsSpaces && quoteAfterSpaceLine == 0 && records > 0) {
      quoteAfterSpaceLine = lineBreaks + 1;
    }
    if (c == ',' && ++fields > widestRecord) {
      widestRecord = fields;
      widestRecordLine = lineBreaks + 1;
    }
    fieldIsSpaces = c == ',' || (fieldIsSpaces && state != State.QUOTE_IN_QUOTED && (c == ' ' || c == '\t'));
    state = switch (state) {
      case FIELD_START -> c == '"' ? State.QUOTED : c == ',' ? State.FIELD_START : State.UNQUOTED;
      case QUOTE_IN_QUOTED -> c == '"' ? State.QUOTED : c == ',' ? State.FIELD_START : State.UNQUOTED;
      default -> c == ',' ? State.FIELD_START : State.UNQUOTED;
    };
  }

  private void endRecord() {
    if (recordHasContent) {
      records++;
    }
    recordHasContent = false;
    state = State.FIELD_START;
    fieldIsSpaces = true;
    fields = 1;
  }

  /**
   * The most fields of one record, the header included, counted as the whole-file reader splits them (commas
   * outside quotes, plus one); 1 when no record has a comma. Spark's CSV reader stops at a fixed number of
   * fields per record ({@code maxColumns}, 20480) and fails the whole read, where a record with another wrong
   * number of fields is one malformed row.
   */
  public int widestRecord() {
    return Math.max(1, widestRecord);
  }

  /** The line (1-based) where the widest record reached its width, or 0 when no record has a comma. */
  public long widestRecordLine() {
    return widestRecordLine;
  }

  /**
   * The line (1-based, by line breaks) of the first field after the header that opens a quote after spaces
   * ({@code a, "b"}), or 0.
   * RFC 4180 allows no quote in an unquoted field and Spark's reader takes such a field as unquoted, so its value
   * would keep its quotes ({@code "b"}), or a comma inside them would split it.
   */
  public long quoteAfterSpaceLine() {
    return quoteAfterSpaceLine;
  }
}
