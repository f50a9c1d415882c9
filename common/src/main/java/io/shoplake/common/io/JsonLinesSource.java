package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads raw JSON Lines files line by line, so that one line is always one record: every non-blank
 * line becomes exactly one row, and a line that is not exactly one JSON object ({@link JsonLineCheck}:
 * an array, two objects, trailing text, a repeated key, broken JSON) keeps its whole text in the
 * corrupt-record column with its reason in {@link #LINE_FAULT}, for {@link #lineRules()} to
 * quarantine. Spark's own JSON reader is not used on the files directly because it turns such lines
 * into several rows or drops part of them without a trace.
 *
 * <p>A valid line is parsed with a declared schema of strings: every contract field is read as the text
 * of its JSON value (a number as its exact decimal, {@code true}, an object as its JSON text), so typing is left
 * to the dataset's rules, as for CSV; fields not in the contract are ignored. Lines end at '\n' only (a
 * '\r' before it is dropped, as is a UTF-8 byte order mark at the start of a line); blank lines are not
 * records and are skipped, which is also how validate counts a file's records.
 *
 * <p>Cost: one splittable text scan and one streaming parse of each line, which checks it and reads
 * its fields ({@link JsonLineRead}; Spark's {@code from_json} only for a line with a value beyond that
 * parse); nothing is inferred.
 *
 * <p>Adds {@code source_file} and {@code raw_date} ({@link Lineage}).
 */
public final class JsonLinesSource {
  /** The column holding why a line was not read as an object (a {@link JsonLineCheck} reason), or null. */
  public static final String LINE_FAULT = "_line_fault";
  /** A line of nothing but control characters and spaces: not a record. */
  public static final String BLANK_LINE = "^[\\x00-\\x20]*$";
  private static final String READ = "_read";
  private static final String SPARK_READ = "_spark_read";

  private JsonLinesSource() {}

  /**
   * @param fields the contract's fields, in the order of the result
   * @param corruptColumn name of the column that receives lines that are not one JSON object
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, List<String> fields,
      String corruptColumn) {
    if (files.isEmpty()) {
      StructType empty = strings(fields).add(corruptColumn, DataTypes.StringType, true)
          .add(LINE_FAULT, DataTypes.StringType, true);
      return Lineage.withSourceFile(spark.createDataFrame(List.of(), empty));
    }
    Dataset<Row> lines = Lineage.withSourceFile(spark.read()
            .option("lineSep", "\n")
            .option("encoding", "UTF-8")
            .text(LiteralPaths.of(files)))
        .withColumn("value", Clean.withoutPrefix(Clean.withoutSuffix(col("value"), "\r"), "\uFEFF"))
        .filter(not(col("value").rlike(BLANK_LINE)));
    return readLines(lines, fields, corruptColumn, "source_file", "raw_date");
  }

  /**
   * The fields, corrupt-record text and {@link #LINE_FAULT} of each line in the column {@code value}, then
   * the columns {@code carried}.
   */
  static Dataset<Row> readLines(Dataset<Row> lines, List<String> fields, String corruptColumn, String... carried) {
    UserDefinedFunction read = udf(new JsonLineRead(fields), JsonLineRead.schema(fields));
    Column leftToSpark = col(READ).getField(JsonLineRead.LEFT_TO_SPARK);
    Dataset<Row> parsed = lines
        .withColumn(READ, read.apply(col("value")))
        .withColumn(SPARK_READ, when(leftToSpark,
            from_json(col("value"), strings(fields), Map.of("mode", "PERMISSIVE"))));
    List<Column> columns = new ArrayList<>();
    for (String field : fields) {
      columns.add(when(leftToSpark, col(SPARK_READ).getField(field)).otherwise(col(READ).getField(field)).as(field));
    }
    Column fault = col(READ).getField(JsonLineRead.FAULT);
    columns.add(when(fault.isNotNull(), col("value")).as(corruptColumn));
    columns.add(fault.as(LINE_FAULT));
    for (String column : carried) {
      columns.add(col(column));
    }
    return parsed.select(columns.toArray(Column[]::new));
  }

  /** The contract's fields as a schema of nullable strings, in their order. */
  private static StructType strings(List<String> fields) {
    StructType schema = new StructType();
    for (String field : fields) {
      schema = schema.add(field, DataTypes.StringType, true);
    }
    return schema;
  }

  /**
   * The rules that quarantine the lines {@link #read} could not take as one object, one per reason;
   * a dataset puts them first.
   */
  public static List<RowRule> lineRules() {
    return JsonLineCheck.REASONS.stream()
        .map(reason -> RowRule.rule(reason, col(LINE_FAULT).equalTo(lit(reason))))
        .toList();
  }
}
