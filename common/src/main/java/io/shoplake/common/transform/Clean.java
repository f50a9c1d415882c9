package io.shoplake.common.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Cleaning expressions shared by every raw dataset read as strings: surrounding white space is never
 * meaningful in a CSV or JSON field, and an empty field means "no value".
 */
public final class Clean {
  /** An integer that fits a Java int (up to 9 digits, optional sign). */
  public static final String INT_PATTERN = "^[+-]?[0-9]{1,9}$";

  private Clean() {}

  /** The trimmed value of {@code column}, null when empty. */
  public static Column text(String column) {
    Column trimmed = trim(col(column));
    return when(length(trimmed).gt(0), trimmed).otherwise(lit(null).cast("string"));
  }

  /** A decimal literal that fits {@code decimal(precision, scale)}: at most that many digits. */
  public static String decimalPattern(int precision, int scale) {
    return "^[+-]?[0-9]{1," + (precision - scale) + "}(\\.[0-9]{1," + scale + "})?$";
  }
}
