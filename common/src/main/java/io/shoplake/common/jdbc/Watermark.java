package io.shoplake.common.jdbc;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How far a table was extracted: the last row's {@code updated_at} and, for rows with the same time,
 * its {@code id} (the tie-breaker). Rows after it are those with a later {@code updated_at}, or the same
 * one and a greater id.
 *
 * <p>Spark's JDBC source cannot bind query parameters, so {@link #changedUpTo} writes the condition with
 * literals, but only from values parsed and checked here: a timestamp formatted by us, and an id that is
 * a number or matches {@code [A-Za-z0-9_-]{1,64}}. Nothing from outside is formatted into SQL as text.
 */
public record Watermark(LocalDateTime updatedAt, String id) {
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  public Watermark {
    if (updatedAt == null || id == null || !SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("Cannot use watermark (" + updatedAt + ", " + id
          + "): expected a timestamp and an id of letters, digits, _ or -");
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
    if (after.isEmpty()) {
      return upper;
    }
    Watermark w = after.get();
    String id = numericId ? Long.toString(Long.parseLong(w.id())) : "'" + w.id() + "'";
    return "(updated_at > " + timestamp(w.updatedAt()) + " OR (updated_at = " + timestamp(w.updatedAt())
        + " AND id > " + id + ")) AND " + upper;
  }

  private static String timestamp(LocalDateTime time) {
    return "TIMESTAMP '" + SQL_TIME.format(time) + "'";
  }
}
