package io.shoplake.common.ingest;

import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One version of the schema contract of a dataset the generic file processor ingests, as recorded in
 * {@code _schemas/<dataset>/v<NNNN>.json}: the columns in order with their types and the version that
 * added each. A version is never rewritten; a change (a new column, a widening) is the next version.
 *
 * @param dataset the raw dataset ({@code raw/<dataset>/})
 * @param version 1, 2, ...
 * @param format how its files are read
 * @param columns the columns, in order
 * @param change what this version changed, for a person ({@code "added coupon (string)"})
 * @param firstFile the file whose sample made this version
 * @param runId the run that recorded it
 */
public record SchemaContract(String dataset, int version, RawDataset.Format format, List<Column> columns,
    String change, String firstFile, String runId) {

  /**
   * One column of a contract.
   *
   * @param name the column in the lake: the source name in lower case, other characters than
   *     {@code a-z 0-9 _} as {@code _} (what Athena and Hive accept)
   * @param source the name in the files (a CSV header, a JSON key)
   * @param type its type ({@link ColumnTypes#name})
   * @param since the version that added it
   */
  public record Column(String name, String source, String type, int since) {}

  public SchemaContract {
    columns = List.copyOf(columns);
  }

  /**
   * Column names the lake gives a meaning (lineage, partitions, the staging columns): a source column
   * with one of these names is stored as {@code <name>_value}, so a CSV with a {@code year} column keeps
   * it beside the {@code year} partition.
   */
  /** What a source column named like a {@link #RESERVED} one is stored with after its name. */
  public static final String RESERVED_SUFFIX = "_value";

  public static final Set<String> RESERVED = Set.of("processed_at", "source_file",
      "processing_job", "ingested_at", "run_id", "job_name", "year", "month", "day", "raw_date", "reject_reason",
      "skip_reason", "_raw", "_corrupt_record", "_line_fault", "_row_hash");

  /**
   * The lake's name of a source column: lower case, {@code a-z 0-9 _} only, never a {@link #RESERVED} one
   * nor one of staging's parsed values ({@link Typing#PARSED_PREFIX}).
   */
  public static String lakeName(String source) {
    String name = source.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    name = name.isEmpty() ? "_" : name;
    return RESERVED.contains(name) || name.startsWith(Typing.PARSED_PREFIX) ? name + RESERVED_SUFFIX : name;
  }

  public List<String> sources() {
    return columns.stream().map(Column::source).toList();
  }

  /** The lake's names of the columns, in order. */
  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  public Optional<Column> bySource(String source) {
    return columns.stream().filter(c -> c.source().equals(source)).findFirst();
  }

  /** The columns as the lake stores them. */
  public StructType schema() {
    StructType schema = new StructType();
    for (Column c : columns) {
      schema = schema.add(c.name(), ColumnTypes.parse(c.type()));
    }
    return schema;
  }

  /** This contract with {@code next} columns as the next version. */
  SchemaContract next(List<Column> next, String what, String file, String run) {
    return new SchemaContract(dataset, version + 1, format, next, what, file, run);
  }

  /** A first version. */
  static SchemaContract first(String dataset, RawDataset.Format format, List<Column> columns, String file,
      String run) {
    List<String> described = new ArrayList<>();
    columns.forEach(c -> described.add(c.name() + " " + c.type()));
    return new SchemaContract(dataset, 1, format, columns, "inferred: " + String.join(", ", described), file, run);
  }

  /** True when the contract has no column of a type other than string. */
  boolean allText() {
    return columns.stream().allMatch(c -> ColumnTypes.parse(c.type()).equals(DataTypes.StringType));
  }
}
