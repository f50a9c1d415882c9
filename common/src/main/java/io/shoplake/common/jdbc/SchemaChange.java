package io.shoplake.common.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.catalyst.util.CharVarcharUtils;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Whether a stg_core table's columns are still those of its copy in the lake: a column added, dropped, or
 * of another type since ({@code ALTER TABLE}, the routine life of an application's schema).
 *
 * <p>Why jdbc-extract asks: a batch of changed rows replaces only the partitions it touches, so a batch
 * of new columns beside partitions of the old ones could not be merged (Spark's union by name failed the
 * run, and every rerun), and had it been, the lake would hold files of two schemas, and old rows without
 * the values MySQL now shows for them (an added column's default). On a change the table is read whole
 * and its copy rebuilt, as {@code --full-reload} does: one read of that table per change of its columns.
 *
 * <p>Names compare as Spark resolves them (letter case aside); types as Spark holds them (nullability
 * aside: Parquet keeps it, JDBC does not report it the same way). Free: both schemas are at hand.
 */
final class SchemaChange {
  private SchemaChange() {}

  /**
   * What changed from {@code lake} (the copy's columns, partition columns included) to {@code batch} (the
   * rows about to be written, the lake's columns added), in one line; empty when nothing did.
   */
  static Optional<String> between(StructType lake, StructType batch) {
    Map<String, String> before = types(lake);
    Map<String, String> now = types(batch);
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    now.forEach((name, type) -> {
      if (!before.containsKey(name)) {
        added.add(name + " " + type);
      } else if (!before.get(name).equals(type)) {
        changed.add(name + " " + before.get(name) + " -> " + type);
      }
    });
    List<String> removed = before.keySet().stream().filter(name -> !now.containsKey(name)).toList();
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("added " + String.join(", ", added));
    }
    if (!removed.isEmpty()) {
      parts.add("removed " + String.join(", ", removed));
    }
    if (!changed.isEmpty()) {
      parts.add("retyped " + String.join(", ", changed));
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  /** Lower-case name to the type's SQL name, in the schema's order. */
  private static Map<String, String> types(StructType schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      types.put(field.name().toLowerCase(Locale.ROOT),
          CharVarcharUtils.replaceCharVarcharWithString(field.dataType()).catalogString());
    }
    return types;
  }
}
