package io.shoplake.common.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Checks at a transformation's boundary that its input has the columns it needs, so a wrong input
 * fails at plan time with "Cannot &lt;action&gt;: missing columns [..], present [..]" instead of an
 * analysis error deep inside a plan. Costs nothing at run time: it reads the schema only.
 */
public final class Contracts {
  private Contracts() {}

  public static void requireColumns(Dataset<Row> ds, String action, String... required) {
    List<String> present = Arrays.asList(ds.columns());
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
