package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.url_decode;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lineage columns of rows read from the raw zone: {@code source_file}, the path under the lake
 * root ({@code raw/<dataset>/date=…/<file>}, the same whatever the root's scheme), and
 * {@code raw_date}, its {@code date=} folder. Must be applied directly on a file scan (it reads
 * {@code input_file_name()}).
 *
 * <p>Both are cut from the path with {@code substring_index}, not a regular expression: they are
 * computed for every row, and two regex searches over the whole path of every row were a visible part
 * of the first pass. The path and its last four segments are each computed once, in projections of their
 * own: {@code input_file_name()} is non-deterministic, so Spark shares no sub-expression over it and
 * evaluated it, and the cuts of it, in every expression and branch that named them (23 cuts a row at 1M
 * transactions, 10% of the staging stage's CPU, and code that made the stage's generated method too big
 * for the JIT's optimising compiler). A path not shaped {@code …/raw/<dataset>/date=<d>/<file>} (never one
 * the raw zone lists) gets empty strings.
 */
public final class Lineage {
  private static final String DATE_FOLDER = "date=";
  private static final String PATH = "_lineage_path";
  private static final String LAST_FOUR = "_lineage_last_four";
  private static final String DATE_SEGMENT = "_lineage_date_segment";

  private Lineage() {}

  /**
   * A scanned file's path as the raw zone lists it: {@code input_file_name()} is the path's URI, so a space
   * is {@code %20} and a {@code %} is {@code %25}, and rows of {@code sales 2025 (1).csv} would name a file
   * no listing has (the run then fails its record check). Decoded only when the path holds a {@code %} (only
   * an escaped character puts one there): a plain path costs one search per row. {@code url_decode} reads
   * {@code +} as a space, as forms do; a URI path keeps {@code +} as it is, so it is escaped first.
   */
  private static Column decoded(Column uri) {
    return when(instr(uri, "%").gt(0), url_decode(replace(uri, lit("+"), lit("%2B")))).otherwise(uri);
  }

  public static Dataset<Row> withSourceFile(Dataset<Row> scanned) {
    Column lastFour = col(LAST_FOUR);
    Column dateFolder = col(DATE_SEGMENT);
    Column shaped = substring_index(lastFour, "/", 1).equalTo("raw")
        .and(dateFolder.startsWith(DATE_FOLDER)).and(length(dateFolder).gt(DATE_FOLDER.length()));
    Map<String, Column> lineage = new LinkedHashMap<>();
    lineage.put("source_file", when(shaped, lastFour).otherwise(""));
    lineage.put("raw_date", when(shaped, dateFolder.substr(lit(DATE_FOLDER.length() + 1), length(dateFolder)))
        .otherwise(""));
    return scanned
        .withColumn(PATH, decoded(input_file_name()))
        .withColumn(LAST_FOUR, substring_index(col(PATH), "/", -4))
        .withColumn(DATE_SEGMENT, substring_index(substring_index(lastFour, "/", 3), "/", -1))
        .withColumns(lineage)
        .drop(PATH, LAST_FOUR, DATE_SEGMENT);
  }
}
