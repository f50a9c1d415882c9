package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.lake.InputFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw CSV files as strings, by column name, as RFC 4180 says: a field may be quoted, a doubled
 * quote inside a quoted field is one quote ({@code "a ""b"" c"} is {@code a "b" c}), and a quoted
 * field may hold line breaks. Each file's header is read first ({@link CsvHeaders}); files are read in
 * groups of equal header, each with a schema in that header's order, so columns in another order or
 * extra columns never shift values (extra columns are logged and left out). A record with the wrong
 * number of fields is kept, its text in the corrupt-record column, so a rule can quarantine it.
 *
 * <p>Ordinary files are read line by line: splittable, so a big file is read by many tasks. A file
 * whose check found a quoted line break ({@link InputFile#wholeFileRead}) is read whole
 * ({@code multiLine}: one task per file), since splitting it into lines would cut its records in two;
 * inside such a field, the file's own line separator is read as {@code \n}. Blank records are not
 * rows in either mode. One scan of the data; one small read per file for its header.
 *
 * <p>Adds {@code source_file} (path under the lake root, the lineage value) and {@code raw_date}
 * (its {@code date=} folder).
 */
public final class CsvSource {
  /**
   * The most fields the reader takes in one record (Spark's {@code maxColumns}, at its default, set here so the
   * file check's limit is the reader's): a record with more fails the whole read, not one row, so the file check
   * rejects such a file ({@code too_many_fields}).
   */
  public static final int MAX_FIELDS = 20480;

  private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);

  private CsvSource() {}

  /** Files read by one CSV scan: the same header, and the same mode (whole files, or split by lines). */
  private record ReadGroup(List<String> header, boolean wholeFileRead) {}

  /**
   * @param columns the contract's columns, in the order of the result
   * @param corruptColumn name of the column that receives unsplittable lines
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, List<String> columns,
      String corruptColumn) {
    Map<List<String>, List<InputFile>> byHeader =
        CsvHeaders.groupByHeader(files, columns, spark.sparkContext().hadoopConfiguration());
    // Within a header, the files read whole apart from the rest, which stay splittable.
    Map<ReadGroup, List<InputFile>> groups = new java.util.LinkedHashMap<>();
    for (Map.Entry<List<String>, List<InputFile>> header : byHeader.entrySet()) {
      for (boolean whole : new boolean[] {false, true}) {
        List<InputFile> part = header.getValue().stream().filter(f -> f.wholeFileRead() == whole).toList();
        if (!part.isEmpty()) {
          groups.put(new ReadGroup(header.getKey(), whole), part);
        }
      }
    }
    List<Column> selected = new ArrayList<>();
    columns.forEach(c -> selected.add(col(c)));
    selected.add(col(corruptColumn));
    Dataset<Row> all = null;
    for (Map.Entry<ReadGroup, List<InputFile>> group : groups.entrySet()) {
      List<String> header = group.getKey().header();
      boolean whole = group.getKey().wholeFileRead();
      List<String> extra = CsvHeaders.extraColumns(header, columns);
      if (!extra.isEmpty()) {
        LOG.warn("Extra columns {} left out of {} file(s), e.g. {}", CsvHeaders.quoted(extra), group.getValue().size(),
            group.getValue().get(0).relativePath());
      }
      StructType schema = new StructType();
      for (int i = 0; i < header.size(); i++) {
        schema = schema.add(readName(header.get(i), i, columns), DataTypes.StringType, true);
      }
      schema = schema.add(corruptColumn, DataTypes.StringType, true);
      Dataset<Row> read = spark.read()
          .schema(schema)
          .option("header", "true")
          .option("enforceSchema", "true")
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", corruptColumn)
          .option("encoding", "UTF-8")
          .option("quote", "\"")
          .option("escape", "\"")
          .option("multiLine", String.valueOf(whole))
          .option("maxColumns", MAX_FIELDS)
          .csv(LiteralPaths.of(group.getValue()))
          .select(selected.toArray(new Column[0]));
      if (whole) {
        // The whole-file parser returns a line of blanks as a one-field record; the line reader skips it.
        read = read.filter(col(corruptColumn).isNull().or(not(col(corruptColumn).rlike(JsonLinesSource.BLANK_LINE))));
      }
      all = all == null ? read : all.unionByName(read);
    }
    if (all == null) {
      StructType empty = new StructType();
      for (String name : columns) {
        empty = empty.add(name, DataTypes.StringType, true);
      }
      all = spark.createDataFrame(List.of(), empty.add(corruptColumn, DataTypes.StringType, true));
    }
    return Lineage.withSourceFile(all);
  }

  /**
   * The name a column is read under: a contract column's own, any other (an extra column, or the unnamed one a
   * trailing comma makes) one made from its position. Extra columns are never read, and their names may clash
   * where the contract's cannot: {@code note} and {@code NOTE} are one name to Spark, which refuses the schema.
   * The reader takes the columns by position, so the name is only ours.
   */
  private static String readName(String headerName, int index, List<String> columns) {
    return columns.contains(headerName) ? headerName : "_extra_column_" + (index + 1);
  }
}
