package io.shoplake.common.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How far a table was extracted: the last row's {@code updated_at} and, for rows with the same time,
 * its {@code id} (the tie-breaker). Rows after it are those with a later {@code updated_at}, or the same
 * one and a greater id.
 *
 * <p>Spark's JDBC source cannot bind query parameters, so {@link #changedUpTo} writes the condition with
 * literals, but only ones that cannot carry SQL: a timestamp formatted by us, a numeric id as the digits of
 * a parsed number, and a text id as the hexadecimal of its UTF-8 bytes ({@code _utf8mb4 X'4330'}). Any text
 * id works that way ({@code cus.61@shop}, {@code O'Brien}); a check for "safe" characters instead failed
 * every run of a table holding one, after its write.
 *
 * <p>A text id compares by code point ({@code utf8mb4_bin}), the order in which Spark picked the watermark's
 * id (the largest of the batch's last second). In the column's own collation, usually case-insensitive,
 * {@code O'Brien} sorts after {@code cus.61}, so the rows of that second that Spark ordered before the
 * watermark were read again on every run.
 */
public record Watermark(LocalDateTime updatedAt, String id) {
  private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  public Watermark {
    if (updatedAt == null || id == null) {
      throw new IllegalArgumentException("Cannot use watermark (" + updatedAt + ", " + id
          + "): expected a timestamp and an id");
    }
  }

  /**
   * The SQL condition for rows changed after {@code after} (every row when absent) and at or before
   * {@code upTo} (the table's MAX(updated_at) read when the run started, so rows changed during the run
   * wait for the next one).
   *
   * @param numericId the id column is a number (compared as one) rather than text
   */
  public static String changedUpTo(Optional<Watermark> after, LocalDateTime upTo, boolean numericId) {
    String upper = "updated_at <= " + timestamp(upTo);
    if (after.isEmpty()) { // a whole read takes the rows without a time too, for the quarantine
      return "(" + upper + " OR updated_at IS NULL)";
    }
    Watermark w = after.get();
    String idAfter = numericId ? "id > " + new BigDecimal(w.id()).toPlainString()
        : "CONVERT(id USING utf8mb4) COLLATE utf8mb4_bin > " + utf8Literal(w.id());
    return "(updated_at > " + timestamp(w.updatedAt()) + " OR (updated_at = " + timestamp(w.updatedAt())
        + " AND " + idAfter + ")) AND " + upper;
  }

  /**
   * A DATETIME (or DATE) as MySQL prints it ({@code 2025-01-02 08:30:00}, {@code 2025-01-02 08:30:00.123456},
   * {@code 2025-01-02}): the wall-clock time the next run's condition compares with.
   */
  public static LocalDateTime parseMysqlTime(String text) {
    String iso = text.trim().replace(' ', 'T');
    return LocalDateTime.parse(iso.length() == 10 ? iso + "T00:00" : iso);
  }

  /** {@code text} as MySQL's hexadecimal literal of its UTF-8 bytes, introduced as utf8mb4 text. */
  private static String utf8Literal(String text) {
    return "_utf8mb4 X'" + HexFormat.of().withUpperCase().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "'";
  }

  private static String timestamp(LocalDateTime time) {
    return "TIMESTAMP '" + SQL_TIME.format(time) + "'";
  }
}
