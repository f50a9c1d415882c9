package io.shoplake.common.io;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The one-parse read of a JSON line against what it replaces: {@link JsonLineCheck}'s fault, then Spark's
 * {@code from_json} with a schema of strings for the lines without one. Every field text and every fault
 * must be the same.
 */
class JsonLineReadTest {
  private static final List<String> FIELDS = List.of("event_id", "user_id", "n", "props", "flag", "Case", "empty");
  private final SparkSession spark = SharedSpark.get();

  private void assertReadAsCheckThenFromJson(List<String> lines) {
    Dataset<Row> input = spark.createDataset(lines, Encoders.STRING()).toDF("value");
    UserDefinedFunction check = udf((UDF1<String, String>) JsonLineCheck::fault, DataTypes.StringType);
    StructType strings = new StructType();
    for (String field : FIELDS) {
      strings = strings.add(field, DataTypes.StringType, true);
    }
    Dataset<Row> checked = input.withColumn("fault", check.apply(col("value")));
    List<Column> expected = new ArrayList<>(List.of(col("value"), col("fault")));
    Column parsed = from_json(col("value"), strings, Map.of("mode", "PERMISSIVE"));
    for (String field : FIELDS) {
      expected.add(sameNumber(when(col("fault").isNull(), parsed.getField(field)), field));
    }
    List<Column> actual = new ArrayList<>(List.of(col("value"), col(JsonLinesSource.LINE_FAULT).as("fault")));
    for (String field : FIELDS) {
      actual.add(sameNumber(col(field), field));
    }
    assertSameRows(checked.select(expected.toArray(Column[]::new)),
        JsonLinesSource.readLines(input.withColumn("line", col("value")), FIELDS, "corrupt", "line")
            .withColumnRenamed("line", "value").select(actual.toArray(Column[]::new)));
  }

  /**
   * A top-level number is read as its exact decimal, where {@code from_json} writes a fraction as a double
   * ({@code 1.50} as {@code 1.5}, {@code 12500000.00} as {@code 1.25E7}): compared as the number it is.
   */
  private static Column sameNumber(Column text, String field) {
    return (field.equals("n") ? coalesce(text.cast("decimal(38,10)").cast("string"),
        text.cast("double").cast("string"), text) : text).as(field);
  }

  @Test
  void aNumberIsReadAsItsExactDecimal() {
    Map<String, String> numbers = new java.util.LinkedHashMap<>();
    numbers.put("12500000.00", "12500000.00");
    numbers.put("1.0624E2", "106.24");
    numbers.put("1.25e7", "12500000");
    numbers.put("1E-7", "0.0000001");
    numbers.put("-0.50", "-0.50");
    numbers.put("12345678901234567890123", "12345678901234567890123");
    numbers.put("0.1", "0.1");
    numbers.put("1e400", "1e400");
    List<String> lines = numbers.keySet().stream().map(n -> "{\"n\":" + n + "}").toList();
    List<Row> read = JsonLinesSource.readLines(spark.createDataset(lines, Encoders.STRING()).toDF("value"), FIELDS,
        "corrupt", "value").select("value", "n").collectAsList();
    Map<String, String> texts = new java.util.LinkedHashMap<>();
    read.forEach(r -> texts.put(r.getString(0).substring(5, r.getString(0).length() - 1), r.getString(1)));
    assertEquals(numbers, texts);
  }

  @Test
  void eachKindOfValueIsReadAsFromJsonReadsIt() {
    List<String> lines = List.of(
        "{\"event_id\":\"E1\",\"user_id\":null,\"n\":1.50,\"props\":{\"a\":[1,2.5e3,-0,true,null,\"x\"]},\"flag\":true}",
        "{\"n\":12345678901234567890123,\"props\":[],\"flag\":false,\"empty\":\"\"}",
        "{\"n\":-0.0,\"props\":{},\"event_id\":\"caf\u00e9 \\u00e9 \\ud83d\\ude00 \\\"q\\\" \\n\"}",
        // 1e400 is no double: from_json wrote it as the text "Infinity" (aNumberIsReadAsItsExactDecimal keeps it).
        "{\"n\":\"big\",\"props\":{\"deep\":{\"s\":\"\\u0001\\t\"}},\"user_id\":\"U\"}",
        "{\"n\":1E-7,\"props\":\"plain\",\"Case\":\"exact\",\"case\":\"lower\",\"CASE\":\"upper\"}",
        "{\"n\":" + "9".repeat(1001) + ",\"event_id\":\"number past the limit\"}",
        "{\"props\":[" + "9".repeat(1001) + "],\"event_id\":\"nested number past the limit\"}",
        "{\"props\":{\"a\":1,\"a\":2},\"event_id\":\"nested repeated key\"}",
        "{\"user_id\":\"U\",\"event_id\":\"" + "x".repeat(20_000_001) + "\"}",
        "{\"unknown\":{\"x\":[1,2,{\"y\":3}]},\"event_id\":\"E2\"}",
        "{\"props\":{\"s\":\"\\ud800\"},\"event_id\":\"lone surrogate nested\"}",
        "{\"event_id\":\"\\ud800 lone surrogate top\"}",
        "  {\"event_id\":\"blanks around\"}\t",
        "{}",
        "{\"event_id\":1,\"event_id\":2}",
        "[{\"event_id\":\"E\"}]",
        "{\"event_id\":\"E\"} x",
        "{\"event_id\":\"E\"}{\"event_id\":\"F\"}",
        "{\"event_id\":",
        "{'event_id':'single'}",
        "{\"n\":NaN}",
        "42");
    assertReadAsCheckThenFromJson(lines);
  }

  /** Thousands of damaged event lines (bytes cut, doubled, replaced): the same texts and faults. */
  @Test
  void damagedLinesAreReadAsFromJsonReadsThem() {
    String event = "{\"event_id\":\"E1\",\"user_id\":null,\"n\":2.50,\"props\":{\"k\":[1,\"v\",{\"z\":null}]},"
        + "\"flag\":true,\"Case\":\"c\u00e9\",\"empty\":\"\"}";
    Random random = new Random(41);
    String pieces = "{}[]\":,\\ \t0-.eEtrunlfa\u00e9x";
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      StringBuilder line = new StringBuilder(random.nextInt(5) == 0 ? event + event : event);
      for (int cut = random.nextInt(4); cut > 0; cut--) {
        int at = random.nextInt(line.length());
        int piece = random.nextInt(pieces.length());
        switch (random.nextInt(3)) {
          case 0 -> line.deleteCharAt(at);
          case 1 -> line.insert(at, pieces.charAt(piece));
          default -> line.setCharAt(at, pieces.charAt(piece));
        }
      }
      lines.add(line.toString());
    }
    long faultless = lines.stream().filter(l -> JsonLineCheck.fault(l) == null).count();
    assertEquals(true, faultless > 500 && faultless < 4_500, "both kinds of line in the sample: " + faultless);
    assertReadAsCheckThenFromJson(lines);
  }
}
