package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What each kind of line is told, and that a line checked from its UTF-8 bytes is told exactly what it is
 * told as text (the file checks use the bytes, the staging the text).
 */
class JsonLineCheckTest {
  private static final String EVENT = "{\"event_id\":\"E1\",\"user_id\":null,\"event_type\":\"page_view\","
      + "\"event_ts\":\"2025-01-01T10:00:00Z\",\"page_url\":\"/p/caf\u00e9?q=a%20b\",\"props\":{\"n\":[1,2.5e3,-0]},"
      + "\"ok\":true}";

  private static String ofBytes(String line) {
    byte[] utf8 = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return JsonLineCheck.fault(utf8, 2, utf8.length - 4);
  }

  @Test
  void eachKindOfLineGetsItsReasonFromTextAndFromBytes() {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(EVENT, null);
    lines.put("  {\"a\":1}\t", null);
    lines.put("{\"a\":\"\ud83d\ude00 \\u00e9 \\ud83d\\ude00\"}", null);
    lines.put("{\"a\":1}{\"b\":2}", JsonLineCheck.SEVERAL_OBJECTS);
    lines.put("{\"a\":1} {\"b\":", JsonLineCheck.SEVERAL_OBJECTS);
    lines.put("{\"a\":1} x", JsonLineCheck.TRAILING_TEXT);
    lines.put("{\"a\":1},", JsonLineCheck.TRAILING_TEXT);
    lines.put("{\"a\":1}\u0000", JsonLineCheck.TRAILING_TEXT);
    lines.put("{\"a\":1,\"a\":2}", JsonLineCheck.DUPLICATE_KEY);
    lines.put("{\"caf\u00e9\":1,\"caf\u00e9\":2}", JsonLineCheck.DUPLICATE_KEY);
    lines.put("{\"a\":[1,{\"c\":1,\"c\":2}]}", JsonLineCheck.DUPLICATE_KEY);
    lines.put("[{\"a\":1}]", JsonLineCheck.ARRAY);
    lines.put("\"just a string\"", JsonLineCheck.NOT_OBJECT);
    lines.put("42", JsonLineCheck.NOT_OBJECT);
    lines.put("{\"a\":", JsonLineCheck.MALFORMED);
    lines.put("{", JsonLineCheck.MALFORMED);
    lines.put("{\"a\":1,}", JsonLineCheck.MALFORMED);
    lines.put("{'a':1}", JsonLineCheck.MALFORMED);
    lines.put("{\"a\":NaN}", JsonLineCheck.MALFORMED);
    lines.put("{\"a\":\"tab\there\"}", JsonLineCheck.MALFORMED);
    lines.put("{\u0000\u0000\u0000}", JsonLineCheck.MALFORMED);
    lines.put("{\u0000\"a\":1}", JsonLineCheck.MALFORMED);
    lines.put("\ufeff{\"a\":1}", JsonLineCheck.MALFORMED);
    lines.put("{\"a\":" + "[".repeat(1200) + "]".repeat(1200) + "}", JsonLineCheck.MALFORMED);
    lines.forEach((line, reason) -> {
      assertEquals(reason, JsonLineCheck.fault(line), "text: " + line);
      assertEquals(reason, ofBytes(line), "bytes: " + line);
    });
  }

  /**
   * Thousands of damaged copies of an event line, of two on one line and of one with a repeated key (bytes
   * cut, doubled, replaced): both paths agree on each.
   */
  @Test
  void damagedLinesGetTheSameReasonFromTextAndFromBytes() {
    Random random = new Random(15);
    String pieces = "{}[]\":,\\ \t0-.eEtrunlfa\u0000\u00e9\ud83d\ude00x";
    List<String> damaged = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String base = switch (random.nextInt(4)) {
        case 0 -> EVENT + EVENT;
        case 1 -> EVENT.replace("\"ok\"", "\"event_id\":\"E2\",\"ok\"");
        default -> EVENT;
      };
      StringBuilder line = new StringBuilder(base);
      for (int cut = random.nextInt(4); cut > 0; cut--) {
        int at = random.nextInt(line.length());
        if (Character.isSurrogate(line.charAt(at))) {
          continue;
        }
        switch (random.nextInt(3)) {
          case 0 -> line.deleteCharAt(at);
          case 1 -> line.insert(at, line.charAt(random.nextInt(line.length() - 1)) == '\ud83d' ? 'x'
              : pieceAt(pieces, random));
          default -> line.replace(at, at + 1, pieceAt(pieces, random));
        }
      }
      damaged.add(line.toString());
    }
    Map<String, Integer> byReason = new LinkedHashMap<>();
    for (String line : damaged) {
      if (!StandardCharsets.UTF_8.newEncoder().canEncode(line)) {
        continue; // a lone surrogate is not valid UTF-8: the file checks refuse such a file first
      }
      String reason = JsonLineCheck.fault(line);
      assertEquals(reason, ofBytes(line), line);
      byReason.merge(String.valueOf(reason), 1, Integer::sum);
    }
    // The damage reaches every outcome, so the agreement covers each of them.
    for (String reason : List.of("null", JsonLineCheck.MALFORMED, JsonLineCheck.TRAILING_TEXT,
        JsonLineCheck.SEVERAL_OBJECTS, JsonLineCheck.DUPLICATE_KEY)) {
      assertEquals(true, byReason.getOrDefault(reason, 0) > 0, reason + " in " + byReason);
    }
  }

  private static String pieceAt(String pieces, Random random) {
    int at = random.nextInt(pieces.length());
    return Character.isHighSurrogate(pieces.charAt(at)) ? pieces.substring(at, at + 2)
        : Character.isLowSurrogate(pieces.charAt(at)) ? pieces.substring(at - 1, at + 1) : pieces.substring(at, at + 1);
  }
}
