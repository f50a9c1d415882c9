package io.shoplake.common.dataset;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Cleaned string fields to a declared {@link StructType}: the one place a raw string becomes a typed
 * value. Rules run on the strings first, so a value reaching here that does not fit its type has
 * already been rejected; a rejected row's casts give nulls, harmlessly (quarantine writes its
 * {@code _raw} fields). One projection, no shuffle.
 *
 * <p>Timestamps are read with {@link Clean#timestamp} (ISO-8601 or "yyyy-MM-dd HH:mm:ss", UTC without
 * an offset), a date alone as midnight UTC (a declared dataset's rules reject such a value before it
 * gets here; an ingested column widened from date keeps its older values); a map or struct is parsed from its JSON text; everything else is Spark's cast.
 */
public final class Typing {
  private static final String DATE_ONLY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
  /** The prefix of the columns {@link #withParsed} adds; no other column may start with it. */
  public static final String PARSED_PREFIX = "_parsed_";

  private Typing() {}

  /**
   * The value of the cleaned string field {@code field} parsed to its declared type, as {@link #withParsed}
   * adds it: what a rule compares ({@code negative_price}, {@code future_review_ts}) instead of casting the
   * string again. A timestamp is parsed strictly ({@link Clean#timestamp}: null for a date alone), so a
   * rule {@code isNull} on it means "not a timestamp". Only for rules of a declared dataset, which
   * {@link Staging} stages.
   */
  public static Column parsed(String field) {
    return col(PARSED_PREFIX + field);
  }

  /**
   * Adds each non-string field of {@code typed} parsed once ({@link #parsed}), before the rules. Why: a
   * valid row's rules and its typing read the same values, and Spark's code generation does not share
   * a cast between the branches of the rules' {@code CASE WHEN}; parsing each decimal and timestamp once
   * instead of three or four times (decimal and timestamp parsing were 12% of the transaction job's
   * executor time at 1M rows) removes most of that share. One projection;
   * {@link #to} consumes and drops the columns.
   */
  public static Transform withParsed(StructType typed) {
    return cleaned -> {
      Contracts.requireColumns(cleaned, "parse fields", typed.fieldNames());
      Map<String, Column> parsed = new LinkedHashMap<>();
      for (StructField field : typed.fields()) {
        if (!field.dataType().equals(DataTypes.StringType)) {
          parsed.put(PARSED_PREFIX + field.name(), strictValue(field.name(), field.dataType()));
        }
      }
      return parsed.isEmpty() ? cleaned : cleaned.withColumns(parsed);
    };
  }

  /** The fields of {@code typed} replaced by their typed values, from {@link #withParsed}'s columns when present. */
  public static Transform to(StructType typed) {
    return cleaned -> {
      Contracts.requireColumns(cleaned, "type fields", typed.fieldNames());
      Set<String> present = Set.of(cleaned.columns());
      Map<String, Column> casts = new LinkedHashMap<>();
      List<String> consumed = new ArrayList<>();
      for (StructField field : typed.fields()) {
        if (field.dataType().equals(DataTypes.StringType)) {
          continue;
        }
        String parsedName = PARSED_PREFIX + field.name();
        if (present.contains(parsedName)) {
          casts.put(field.name(), lenientValue(field.name(), field.dataType(), col(parsedName)));
          consumed.add(parsedName);
        } else {
          casts.put(field.name(), typedValue(field.name(), field.dataType()));
        }
      }
      return casts.isEmpty() ? cleaned : cleaned.withColumns(casts).drop(consumed.toArray(new String[0]));
    };
  }

  /** The typed value of the cleaned string column {@code name}. */
  public static Column typedValue(String name, DataType type) {
    return lenientValue(name, type, strictValue(name, type));
  }

  /** The value a rule sees: a timestamp only from a {@link Clean#TIMESTAMP_PATTERN}, everything else as typed. */
  private static Column strictValue(String name, DataType type) {
    if (type.equals(DataTypes.TimestampType)) {
      return Clean.timestamp(name);
    }
    if (type instanceof MapType || type instanceof StructType) {
      return from_json(col(name), type, Map.of("mode", "PERMISSIVE"));
    }
    return col(name).cast(type);
  }

  /** The stored value from the strict one: a date alone is midnight UTC (a date column widened to a timestamp keeps its older values). */
  private static Column lenientValue(String name, DataType type, Column strict) {
    if (type.equals(DataTypes.TimestampType)) {
      return coalesce(strict, when(col(name).rlike(DATE_ONLY), col(name).cast("timestamp")));
    }
    return strict;
  }
}
