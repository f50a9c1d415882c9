package io.shoplake.common.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Patterns and parses shared by every raw dataset read as strings (trimming and empty fields are
 * {@link io.shoplake.common.rules.RawFields#clean}'s).
 */
public final class Clean {
  /** An integer that fits a Java int (up to 9 digits, optional sign). */
  public static final String INT_PATTERN = "^[+-]?[0-9]{1,9}$";

  /** ISO-8601 with an offset or Z, or "yyyy-MM-dd HH:mm:ss" (optional fraction) taken as UTC. */
  public static final String TIMESTAMP_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
      + "(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"
      + "| [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?)$";
  /** A JSON or CSV boolean, any case. */
  public static final String BOOLEAN_PATTERN = "^(?i)(true|false)$";

  private Clean() {}

  /**
   * The timestamp of a cleaned string column (UTC for values without an offset: the session time zone
   * is UTC); null when the text is not a {@link #TIMESTAMP_PATTERN} or names an impossible instant
   * (Feb 30), so a rule "invalid_x" can be {@code isNull} on a present value.
   *
   * <p>A value ending in {@code Z} or {@code +00:00}, the usual forms, is cast without it: in the UTC
   * session that is the same instant, and it spares Spark's cast resolving a zone id for each value
   * ({@code SparkDateTimeUtils.getZoneId} compiles two regular expressions and builds a {@code ZoneOffset}
   * per call: 8% of the clickstream staging's profile at 5.7M events, 4% of the transaction staging's at
   * 1M rows where a third of the values end in {@code +00:00}). Costs a test of the last characters.
   */
  public static Column timestamp(String column) {
    Column text = col(column);
    // Any other offset stays for the cast to apply.
    return when(text.rlike(TIMESTAMP_PATTERN), withoutSuffix(text, "Z", "+00:00").cast("timestamp"));
  }

  /**
   * {@code text} without the first of {@code suffixes} it ends with (unchanged when it ends with none): a test
   * of its end per suffix, in one {@code CASE WHEN}, not a regex search of the whole text.
   */
  public static Column withoutSuffix(Column text, String... suffixes) {
    Column cut = null;
    for (String suffix : suffixes) {
      Column shorter = text.substr(lit(1), length(text).minus(suffix.length()));
      cut = cut == null ? when(text.endsWith(suffix), shorter) : cut.when(text.endsWith(suffix), shorter);
    }
    return cut == null ? text : cut.otherwise(text);
  }

  /** {@code text} without a leading {@code prefix}. */
  public static Column withoutPrefix(Column text, String prefix) {
    return when(text.startsWith(prefix), text.substr(lit(prefix.length() + 1), length(text))).otherwise(text);
  }

  /** A decimal literal that fits {@code decimal(precision, scale)}: at most that many digits. */
  public static String decimalPattern(int precision, int scale) {
    return "^[+-]?[0-9]{1," + (precision - scale) + "}(\\.[0-9]{1," + scale + "})?$";
  }
}
