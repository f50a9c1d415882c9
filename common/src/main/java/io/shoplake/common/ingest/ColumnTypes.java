package io.shoplake.common.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.dataset.Typing;
import io.shoplake.common.transform.Clean;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The column types the generic file processor infers from text, and which change of type is a
 * widening. Pure Java over the cleaned values of a sample (trimmed, empty as missing), so every rule is
 * unit-tested without Spark.
 *
 * <p>Inference takes the narrowest type every value of the column fits: boolean, int (up to 9 digits),
 * bigint (up to 18), decimal(p,s) (a plain decimal literal, at most 38 digits), double (a number with an
 * exponent), date ({@code yyyy-MM-dd}), timestamp ({@link Clean#TIMESTAMP_PATTERN}), else string. A
 * number with a leading zero ({@code 007}) is text: it is a code, and a number would lose the zeros. A
 * column with no value in the sample is a string, the type every value fits.
 *
 * <p>A missing value (null, empty) fits every type. Widening: int -> bigint -> decimal -> double, a decimal to one with at least as many integer
 * digits and as large a scale, date -> timestamp. Anything fits a string column. Every other change
 * (a number column that now holds text) is not a widening.
 */
public final class ColumnTypes {
  static final Pattern BOOLEAN = Pattern.compile(Clean.BOOLEAN_PATTERN);
  static final Pattern INT = Pattern.compile("^[+-]?(0|[1-9][0-9]{0,8})$");
  static final Pattern BIGINT = Pattern.compile("^[+-]?(0|[1-9][0-9]{0,17})$");
  static final Pattern DECIMAL = Pattern.compile("^[+-]?(0|[1-9][0-9]*)(\\.[0-9]+)?$");
  static final Pattern DOUBLE = Pattern.compile("^[+-]?(0|[1-9][0-9]*)(\\.[0-9]+)?[eE][+-]?[0-9]{1,3}$");
  static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  static final Pattern TIMESTAMP = Pattern.compile(Clean.TIMESTAMP_PATTERN);
  private static final int MAX_PRECISION = DecimalType.MAX_PRECISION();

  private ColumnTypes() {}

  /** The narrowest type all of {@code values} fit (nulls ignored); string when there is none. */
  public static DataType infer(Collection<String> values) {
    DataType inferred = null;
    for (String value : values) {
      if (value == null) {
        continue;
      }
      DataType one = ofValue(value);
      inferred = inferred == null ? one : merge(inferred, one).orElse(DataTypes.StringType);
      if (inferred.equals(DataTypes.StringType)) {
        return inferred;
      }
    }
    return inferred == null ? DataTypes.StringType : inferred;
  }

  /** The narrowest type of one cleaned value. */
  static DataType ofValue(String value) {
    if (BOOLEAN.matcher(value).matches()) {
      return DataTypes.BooleanType;
    }
    if (INT.matcher(value).matches()) {
      return DataTypes.IntegerType;
    }
    if (BIGINT.matcher(value).matches()) {
      return DataTypes.LongType;
    }
    if (DECIMAL.matcher(value).matches()) {
      String digits = value.replaceFirst("^[+-]", "");
      int dot = digits.indexOf('.');
      int integerDigits = dot < 0 ? digits.length() : dot;
      int scale = dot < 0 ? 0 : digits.length() - dot - 1;
      return integerDigits + scale <= MAX_PRECISION ? decimal(integerDigits, scale) : DataTypes.DoubleType;
    }
    if (DOUBLE.matcher(value).matches()) {
      return DataTypes.DoubleType;
    }
    if (DATE.matcher(value).matches() && validDate(value)) {
      return DataTypes.DateType;
    }
    if (TIMESTAMP.matcher(value).matches()) {
      return DataTypes.TimestampType;
    }
    return DataTypes.StringType;
  }

  /**
   * The type a column of {@code contract} type must have to also hold {@code observed} values: the
   * contract itself when they fit, a wider type when {@code observed} widens it, empty when no widening
   * holds both (the caller quarantines the file).
   */
  public static Optional<DataType> merge(DataType contract, DataType observed) {
    if (contract.equals(observed) || contract.equals(DataTypes.StringType)) {
      return Optional.of(contract);
    }
    int a = numericRank(contract);
    int b = numericRank(observed);
    if (a > 0 && b > 0) {
      if (a == 4 || b == 4) {
        return Optional.of(DataTypes.DoubleType);
      }
      if (a == 3 || b == 3) {
        int integerDigits = Math.max(integerDigits(contract), integerDigits(observed));
        int scale = Math.max(scale(contract), scale(observed));
        return Optional.of(integerDigits + scale <= MAX_PRECISION ? decimal(integerDigits, scale) : DataTypes.DoubleType);
      }
      return Optional.of(a >= b ? contract : observed);
    }
    boolean dates = (contract.equals(DataTypes.DateType) || contract.equals(DataTypes.TimestampType))
        && (observed.equals(DataTypes.DateType) || observed.equals(DataTypes.TimestampType));
    return dates ? Optional.of(DataTypes.TimestampType) : Optional.empty();
  }

  /**
   * The row rule's condition for a column of {@code type}: true for a present value that does not fit
   * it (so the row is quarantined as {@code invalid_<column>}); never true for a string.
   */
  public static Column doesNotFit(String column, DataType type) {
    Column value = col(column);
    Column typed = Typing.typedValue(column, type);
    if (type.equals(DataTypes.StringType)) {
      return org.apache.spark.sql.functions.lit(false);
    }
    // A value of the column is checked leniently (leading zeros are fine once the column is a number):
    // the pattern says the text is of the type, the cast that it names a real value (no Feb 30).
    String pattern;
    if (type instanceof DecimalType d) {
      pattern = "^[+-]?[0-9]{1," + Math.max(1, d.precision() - d.scale()) + "}"
          + (d.scale() == 0 ? "" : "(\\.[0-9]{1," + d.scale() + "})?") + "$";
    } else if (type.equals(DataTypes.DoubleType)) {
      pattern = "^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$";
    } else if (type.equals(DataTypes.BooleanType)) {
      pattern = Clean.BOOLEAN_PATTERN;
    } else if (type.equals(DataTypes.IntegerType)) {
      pattern = Clean.INT_PATTERN;
    } else if (type.equals(DataTypes.LongType)) {
      pattern = "^[+-]?[0-9]{1,18}$";
    } else if (type.equals(DataTypes.DateType)) {
      pattern = DATE.pattern();
    } else {
      // A timestamp column also takes a date (midnight UTC): what a date column widened to timestamp holds.
      pattern = DATE.pattern().replace("$", "") + "$|" + TIMESTAMP.pattern();
    }
    return value.isNotNull().and(not(value.rlike(pattern)).or(typed.isNull()));
  }

  /** The type as the contract records it ({@code int}, {@code decimal(10,2)}): Spark's DDL name. */
  public static String name(DataType type) {
    return type.simpleString();
  }

  /** The type of a recorded name. */
  public static DataType parse(String name) {
    return DataType.fromDDL(name);
  }

  private static DecimalType decimal(int integerDigits, int scale) {
    return DataTypes.createDecimalType(Math.max(1, integerDigits) + scale, scale);
  }

  private static int numericRank(DataType type) {
    if (type.equals(DataTypes.IntegerType)) {
      return 1;
    }
    if (type.equals(DataTypes.LongType)) {
      return 2;
    }
    if (type instanceof DecimalType) {
      return 3;
    }
    return type.equals(DataTypes.DoubleType) ? 4 : 0;
  }

  private static int integerDigits(DataType type) {
    if (type instanceof DecimalType d) {
      return d.precision() - d.scale();
    }
    return type.equals(DataTypes.IntegerType) ? 10 : 19; // the digits of the largest int, bigint
  }

  private static int scale(DataType type) {
    return type instanceof DecimalType d ? d.scale() : 0;
  }

  private static boolean validDate(String value) {
    try {
      java.time.LocalDate.parse(value);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
