package io.shoplake.common.dataset;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.util.LinkedHashMap;
import java.util.Map;
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

  private Typing() {}

  public static Transform to(StructType typed) {
    return cleaned -> {
      Contracts.requireColumns(cleaned, "type fields", typed.fieldNames());
      Map<String, Column> casts = new LinkedHashMap<>();
      for (StructField field : typed.fields()) {
        if (!field.dataType().equals(DataTypes.StringType)) {
          casts.put(field.name(), typedValue(field.name(), field.dataType()));
        }
      }
      return casts.isEmpty() ? cleaned : cleaned.withColumns(casts);
    };
  }

  /** The typed value of the cleaned string column {@code name}. */
  public static Column typedValue(String name, DataType type) {
    if (type.equals(DataTypes.TimestampType)) {
      // A date alone is midnight UTC: a date column widened to a timestamp keeps its older values.
      return coalesce(Clean.timestamp(name), when(col(name).rlike(DATE_ONLY), col(name).cast("timestamp")));
    }
    if (type instanceof MapType || type instanceof StructType) {
      return from_json(col(name), type, Map.of("mode", "PERMISSIVE"));
    }
    return col(name).cast(type);
  }
}
