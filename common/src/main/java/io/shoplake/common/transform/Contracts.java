package io.shoplake.common.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Checks at a transformation's boundary that its input has the columns it needs, so a wrong input
 * fails at plan time with "Cannot &lt;action&gt;: missing columns [..], present [..]" instead of an
 * analysis error deep inside a plan. Costs nothing at run time: it reads the schema only.
 */
public final class Contracts {
  private Contracts() {}

  public static void requireColumns(Dataset<Row> ds, String action, String... required) {
    requireColumns(ds.schema(), action, required);
  }

  /** As {@link #requireColumns(Dataset, String, String...)}, for rows known by their schema only. */
  public static void requireColumns(StructType schema, String action, String... required) {
    List<String> present = Arrays.asList(schema.fieldNames());
    List<String> missing = new ArrayList<>();
    for (String column : required) {
      if (!present.contains(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot " + action + ": missing columns " + missing + ", present " + present);
    }
  }
}
