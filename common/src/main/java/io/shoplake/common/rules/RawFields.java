package io.shoplake.common.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.transform.Contracts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cleaning step every raw dataset goes through before its rules: the fields exactly as read are
 * kept in one {@code _raw} struct (what quarantine writes back), and each field is replaced by its
 * cleaned string: trimmed, empty as missing, then an optional per-field normaliser (upper-case codes,
 * lower-case enums). Rules then read the cleaned strings, before any cast, so a value that cannot be
 * cast is a named rejection and never a silent null. No shuffle.
 *
 * <p>Two projections: the first keeps {@code _raw} and trims each field, the second turns an empty field
 * into a missing one and normalises the rest. Why not one: in {@code CASE WHEN trim(f) <> '' THEN trim(f)}
 * Spark shares no sub-expression between a condition and its branch, so every field was trimmed (copied)
 * twice a row; a column of the first projection is read twice and computed once, and the optimiser keeps
 * the two projections apart for that reason.
 */
public final class RawFields {
  /** The struct column holding the fields exactly as read. */
  public static final String RAW = "_raw";
  /**
   * The column of a record the reader could not split into fields (a CSV line with the wrong number of
   * fields, a line that is not one JSON object): its whole text, for quarantine's {@code raw_line}.
   */
  public static final String CORRUPT_RECORD = "_corrupt_record";

  private RawFields() {}

  /**
   * @param fields the dataset's contract fields (string columns of {@code raw})
   * @param normalisers extra cleaning by field, applied to the trimmed value
   * @param dataset names the dataset in the contract error
   */
  public static Dataset<Row> clean(Dataset<Row> raw, List<String> fields, Map<String, UnaryOperator<Column>> normalisers,
      String dataset) {
    Contracts.requireColumns(raw, "clean " + dataset, fields.toArray(new String[0]));
    List<Column> columns = new ArrayList<>();
    columns.add(struct(fields.stream().map(c -> col(c)).toArray(Column[]::new)).as(RAW));
    for (String column : raw.columns()) {
      if (!fields.contains(column)) {
        columns.add(col(column));
      }
    }
    for (String field : fields) {
      columns.add(trim(col(field)).as(field));
    }
    Map<String, Column> cleaned = new LinkedHashMap<>();
    for (String field : fields) {
      Column trimmed = col(field);
      cleaned.put(field, when(trimmed.notEqual(""),
          normalisers.getOrDefault(field, UnaryOperator.identity()).apply(trimmed)));
    }
    return raw.select(columns.toArray(new Column[0])).withColumns(cleaned);
  }

  /**
   * What quarantine keeps of a rejected row: the fields as read (from {@code _raw}), the line that could
   * not be parsed ({@code corruptColumn}), the reason and the lineage ({@code source_file},
   * {@code raw_date}). See {@link io.shoplake.common.io.QuarantineSink}.
   */
  public static Column[] quarantineColumns(List<String> fields, String corruptColumn) {
    List<Column> columns = new ArrayList<>();
    fields.forEach(c -> columns.add(col(RAW + "." + c).as(c)));
    List.of(corruptColumn, RowRules.REJECT_REASON, "source_file", "raw_date").forEach(c -> columns.add(col(c)));
    return columns.toArray(new Column[0]);
  }
}
