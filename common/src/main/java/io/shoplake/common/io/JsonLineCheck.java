package io.shoplake.common.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Says whether one line of a JSON Lines file is exactly one JSON object, and if not, what it is
 * instead. Spark's JSON reader turns a line holding an array into one row per element and reads only
 * the first of two objects on one line, silently; this check runs first so that every such line is
 * quarantined whole with its own reason. One streaming parse of the line (no tree is built).
 */
public final class JsonLineCheck {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The line is a JSON array (even of one object). */
  public static final String ARRAY = "json_array_line";
  /** The line is a JSON value that is not an object (a string, a number, null). */
  public static final String NOT_OBJECT = "json_not_object";
  /** The line is not valid JSON (truncated, stray bytes, unquoted text). */
  public static final String MALFORMED = "malformed_row";
  /** Two or more objects on one line. */
  public static final String SEVERAL_OBJECTS = "json_several_objects";
  /** An object followed by more text. */
  public static final String TRAILING_TEXT = "json_trailing_text";
  /** An object that repeats a key: which value is meant cannot be known. */
  public static final String DUPLICATE_KEY = "json_duplicate_key";

  /** Every reason {@link #fault} can give, in the order a dataset's rules should name them. */
  public static final List<String> REASONS = List.of(ARRAY, NOT_OBJECT, SEVERAL_OBJECTS, TRAILING_TEXT,
      DUPLICATE_KEY, MALFORMED);

  private JsonLineCheck() {}

  /** Null when {@code line} is exactly one JSON object (blanks around it allowed), else the reason. */
  public static String fault(String line) {
    return faultOf(() -> JSON.createParser(line), null);
  }

  /**
   * {@link #fault(String)} of a line given as valid UTF-8 ({@code length} bytes from {@code offset}), parsed
   * from its bytes: no decoding into a {@code String} first, and Jackson's byte parser, together about 30%
   * less time than the text path on event lines (the file checks read lines as bytes). The same answer as
   * the text path for every valid UTF-8 line: Jackson guesses a byte source's encoding from its first four
   * bytes (a byte order mark, zero bytes), so only a line that starts with '{' and has no zero byte among
   * its next three, which no guess takes for anything but UTF-8, is parsed from bytes; any other line is
   * decoded and checked as text.
   */
  public static String fault(byte[] utf8, int offset, int length) {
    if (!plainObjectStart(utf8, offset, length)) {
      return fault(new String(utf8, offset, length, StandardCharsets.UTF_8));
    }
    return faultOf(() -> JSON.createParser(utf8, offset, length), null);
  }

  /** Opens a parser over one line. */
  @FunctionalInterface
  private interface LineParser {
    JsonParser open() throws IOException;
  }

  /**
   * The fault of the line {@code line} opens, and the texts of the fields {@code read} names (null: none);
   * when a read value is beyond this parse, the line is parsed again for the check alone.
   */
  private static String faultOf(LineParser line, FieldTexts read) {
    try (JsonParser parser = line.open()) {
      return fault(parser, read);
    } catch (UnreadableValue e) {
      String fault = faultOf(line, null);
      read.leaveToSpark(fault == null);
      return fault;
    } catch (JsonParseException e) {
      return e.getMessage() != null && e.getMessage().startsWith("Duplicate field") ? DUPLICATE_KEY : MALFORMED;
    } catch (IOException e) {
      return MALFORMED;
    }
  }

  private static boolean plainObjectStart(byte[] utf8, int offset, int length) {
    if (length < 1 || utf8[offset] != '{') {
      return false;
    }
    for (int i = 1; i < Math.min(4, length); i++) {
      if (utf8[offset + i] == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #fault(String)}, and for a line without one the texts of the fields {@code read} names, in
   * the same parse: what Spark's {@code from_json} with a schema of strings gives (a string's value, any
   * other value as its JSON text, null for null or absent; field names matched exactly), except a number,
   * read as its exact decimal where {@code from_json} writes a fraction as a double. A value this
   * cannot read (a text past Jackson's 20,000,000 characters, which Spark's JSON options keep; broken JSON
   * inside it) is left to Spark: {@link FieldTexts#leaveToSpark} is told, and the fault is the check's
   * alone, as before the fields were read. Spark reads such a line field by field, keeping what it can.
   */
  static String fault(String line, FieldTexts read) {
    return faultOf(() -> JSON.createParser(line), read);
  }

  /**
   * The top-level keys of a line that is one JSON object, in order, or an empty list for a line with a fault:
   * one parse, the values skipped. For the file check's look at a file's first object.
   */
  public static List<String> keys(String line) {
    List<String> keys = new ArrayList<>();
    String fault = fault(line, new FieldTexts() {
      @Override
      public int indexOf(String field) {
        keys.add(field);
        return -1;
      }

      @Override
      public void put(int index, String text) {}

      @Override
      public void leaveToSpark(boolean sparkReads) {}
    });
    return fault == null ? keys : List.of();
  }

  /** Where {@link #fault(String, FieldTexts)} puts the texts of the fields it reads. */
  interface FieldTexts {
    /** The place of a field's text, or -1 for a field not read. */
    int indexOf(String field);

    void put(int index, String text);

    /**
     * Forgets every text put so far: a value could not be read; {@code sparkReads} when the line has no
     * fault, so that Spark's own parse must give its fields.
     */
    void leaveToSpark(boolean sparkReads);
  }

  private static String fault(JsonParser parser, FieldTexts read) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == JsonToken.START_ARRAY) {
      return ARRAY;
    }
    if (first != JsonToken.START_OBJECT) {
      return first == null ? MALFORMED : NOT_OBJECT;
    }
    if (read == null) {
      parser.skipChildren();
    } else {
      readFields(parser, read);
    }
    JsonToken after;
    try {
      after = parser.nextToken();
    } catch (JsonParseException e) {
      return TRAILING_TEXT;
    }
    if (after == null) {
      return null;
    }
    return after == JsonToken.START_OBJECT ? SEVERAL_OBJECTS : TRAILING_TEXT;
  }

  /** From the object's first field to its end: the texts of the fields {@code read} names, the rest skipped. */
  private static void readFields(JsonParser parser, FieldTexts read) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      int index = read.indexOf(parser.currentName());
      JsonToken value = parser.nextToken();
      if (index < 0) {
        parser.skipChildren();
      } else if (value == JsonToken.VALUE_NULL) {
        read.put(index, null);
      } else {
        read.put(index, text(parser, value));
      }
    }
  }

  /**
   * The text of a field's value: a string's value; a number's exact decimal; anything else as its JSON text.
   * A number is not copied as JSON, which writes a fraction as a double: {@code 12500000.00} became
   * {@code 1.25E7}, and a price of twelve and a half million (rupiah, dong, won) failed the price rule.
   */
  private static String text(JsonParser parser, JsonToken value) throws UnreadableValue {
    try {
      if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
        return parser.getText();
      }
      if (value == JsonToken.VALUE_NUMBER_FLOAT) {
        return exactDecimal(parser);
      }
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      try (JsonGenerator generator = JSON.createGenerator(text, JsonEncoding.UTF8)) {
        generator.copyCurrentStructure(parser);
      }
      return text.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnreadableValue(e);
    }
  }

  /**
   * A JSON fraction or exponent as its exact plain decimal ({@code 1.0624E2} is {@code 106.24}, {@code 12500000.00}
   * stays as written); as written when its exponent is beyond any column's scale (no string of a million zeros
   * for {@code 1e1000000}).
   */
  private static String exactDecimal(JsonParser parser) throws IOException {
    BigDecimal decimal = parser.getDecimalValue();
    return Math.abs(decimal.scale()) > MAX_PLAIN_SCALE ? parser.getText() : decimal.toPlainString();
  }

  /** Past this scale (either way), a number is kept as written: no column holds it anyway. */
  private static final int MAX_PLAIN_SCALE = 100;

  /** A read field's value this parse could not read: the line is then judged by the check alone. */
  private static final class UnreadableValue extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableValue(IOException cause) {
      super(cause);
    }
  }
}
