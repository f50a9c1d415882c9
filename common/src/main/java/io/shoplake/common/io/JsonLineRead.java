package io.shoplake.common.io;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One line of a JSON Lines file read in one parse: its {@link JsonLineCheck} fault, and when it has
 * none, the texts of the contract's fields as Spark's {@code from_json} with a schema of strings reads
 * them, but a number as its exact decimal ({@link JsonLineCheck}). Why not the check and then {@code from_json}: that parsed every line twice, and Spark's parse
 * of a text column opens a character reader per row; together they were 46% of the clickstream
 * staging stage's samples at 1M events (docs/BENCHMARKS.md, nineteenth round).
 *
 * <p>Returns a struct of {@link #FAULT}, {@link #LEFT_TO_SPARK}, then the fields, in their order; all
 * fields null when there is a fault or the line is left to Spark.
 */
final class JsonLineRead implements UDF1<String, Row> {
  private static final long serialVersionUID = 1L;
  static final String FAULT = "_fault";
  /** True for a line without a fault whose fields Spark's {@code from_json} must read: one value was beyond this. */
  static final String LEFT_TO_SPARK = "_left_to_spark";

  private final Map<String, Integer> places;
  private final int width;

  JsonLineRead(List<String> fields) {
    this.places = new HashMap<>();
    for (String field : fields) {
      places.put(field, places.size() + 2);
    }
    this.width = fields.size() + 2;
  }

  /** The struct it returns: {@link #FAULT}, {@link #LEFT_TO_SPARK}, then each field as a string. */
  static StructType schema(List<String> fields) {
    StructType schema = new StructType().add(FAULT, DataTypes.StringType, true)
        .add(LEFT_TO_SPARK, DataTypes.BooleanType, false);
    for (String field : fields) {
      schema = schema.add(field, DataTypes.StringType, true);
    }
    return schema;
  }

  @Override
  public Row call(String line) {
    Object[] values = new Object[width];
    values[1] = false;
    String fault = JsonLineCheck.fault(line, new JsonLineCheck.FieldTexts() {
      @Override
      public int indexOf(String field) {
        return places.getOrDefault(field, -1);
      }

      @Override
      public void put(int index, String text) {
        values[index] = text;
      }

      @Override
      public void leaveToSpark(boolean sparkReads) {
        Arrays.fill(values, null);
        values[1] = sparkReads;
      }
    });
    if (fault != null) {
      Arrays.fill(values, null);
      values[0] = fault;
      values[1] = false;
    }
    return RowFactory.create(values);
  }
}
