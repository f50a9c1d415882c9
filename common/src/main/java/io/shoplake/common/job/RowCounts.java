package io.shoplake.common.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Contracts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The row accounting of a classified batch, from one aggregation: every row read carries its outcome,
 * {@code reject_reason} (quarantined), {@code skip_reason} (read, neither written nor an error: see
 * {@link JobResult#skippedByReason}) or neither (written). Counts them by outcome, raw date and output
 * partition, so a job knows what it will write, which partitions and which quarantine dates, before it
 * writes anything. Costs one aggregation over the batch (cache the batch if it is expensive).
 *
 * @param rowsRead every row of the batch
 * @param rowsToWrite rows with neither reason
 * @param rejectedByReason quarantined rows by reason
 * @param skippedByReason skipped rows by reason
 * @param rawDatesWithRejects the raw dates that have quarantined rows
 * @param partitionsToWrite the output partitions ({@code year=2025/month=1/day=2}) of the rows to write
 * @param rowsBySourceFile every row read, by {@code source_file}: for {@link RecordAccounting}
 * @param skippedByRawDate the skipped rows by raw date, then by output partition (empty without partition columns)
 */
public record RowCounts(long rowsRead, long rowsToWrite, Map<String, Long> rejectedByReason,
    Map<String, Long> skippedByReason, SortedSet<String> rawDatesWithRejects, SortedSet<String> partitionsToWrite,
    Map<String, Long> rowsBySourceFile, Map<String, SortedMap<String, Long>> skippedByRawDate) {
  public static final String SKIP_REASON = "skip_reason";
  private static final String[] REQUIRED = {RowRules.REJECT_REASON, "raw_date", "source_file"};

  /**
   * @param classified rows with {@code reject_reason}, {@code raw_date}, the partition columns and
   *     optionally {@code skip_reason}
   * @param partitionColumns the output's partition columns, in path order (may be empty)
   */
  public static RowCounts of(Dataset<Row> classified, List<String> partitionColumns) {
    List<String> present = List.of(classified.columns());
    Column[] keys = keyNames(classified.schema(), partitionColumns).stream()
        .map(k -> present.contains(k) ? col(k) : lit(null).cast("string")) // only skip_reason may be absent
        .toArray(Column[]::new);
    return ofGroups(classified.groupBy(keys).count().collectAsList(), partitionColumns);
  }

  /**
   * As {@link #of}, for a classified batch already on the driver (a small reference table collected once):
   * counted here, no Spark job.
   *
   * @param schema the columns of {@code classified}, as {@link #of} requires them
   */
  public static RowCounts ofCollected(List<Row> classified, StructType schema, List<String> partitionColumns) {
    List<String> present = List.of(schema.fieldNames());
    int[] index = keyNames(schema, partitionColumns).stream().mapToInt(present::indexOf).toArray(); // -1: no skip_reason
    List<Row> groups = new ArrayList<>(classified.size());
    for (Row r : classified) {
      Object[] values = new Object[index.length + 1];
      for (int i = 0; i < index.length; i++) {
        values[i] = index[i] < 0 ? null : r.get(index[i]);
      }
      values[index.length] = 1L;
      groups.add(RowFactory.create(values));
    }
    return ofGroups(groups, partitionColumns);
  }

  /**
   * The grouping keys, in the order {@link #ofGroups} reads them: reject reason, skip reason, raw date,
   * source file, then the partition columns; fails unless {@code schema} has all but the skip reason.
   */
  private static List<String> keyNames(StructType schema, List<String> partitionColumns) {
    Contracts.requireColumns(schema, "count rows", REQUIRED);
    Contracts.requireColumns(schema, "count rows", partitionColumns.toArray(new String[0]));
    List<String> names = new ArrayList<>(List.of(RowRules.REJECT_REASON, SKIP_REASON, "raw_date", "source_file"));
    names.addAll(partitionColumns);
    return names;
  }

  /** Adds up rows of (reject reason, skip reason, raw date, source file, partition values..., count). */
  private static RowCounts ofGroups(List<Row> groups, List<String> partitionColumns) {
    long read = 0;
    long toWrite = 0;
    Map<String, Long> rejected = new TreeMap<>();
    Map<String, Long> skipped = new TreeMap<>();
    SortedSet<String> datesWithRejects = new TreeSet<>();
    SortedSet<String> partitions = new TreeSet<>();
    Map<String, Long> byFile = new TreeMap<>();
    Map<String, SortedMap<String, Long>> skippedByRawDate = new TreeMap<>();
    for (Row r : groups) {
      long n = r.getLong(r.length() - 1);
      read += n;
      byFile.merge(r.isNullAt(3) ? "" : r.getString(3), n, Long::sum);
      if (!r.isNullAt(0)) {
        rejected.merge(r.getString(0), n, Long::sum);
        datesWithRejects.add(r.getString(2));
      } else if (!r.isNullAt(1)) {
        skipped.merge(r.getString(1), n, Long::sum);
        if (!partitionColumns.isEmpty()) {
          skippedByRawDate.computeIfAbsent(r.isNullAt(2) ? "" : r.getString(2), d -> new TreeMap<>())
              .merge(partition(r, partitionColumns), n, Long::sum);
        }
      } else {
        toWrite += n;
        if (!partitionColumns.isEmpty()) {
          partitions.add(partition(r, partitionColumns));
        }
      }
    }
    return new RowCounts(read, toWrite, rejected, skipped, datesWithRejects, partitions, byFile, skippedByRawDate);
  }

  /** The output partition of a group of {@link #ofGroups}, as {@code year=2025/month=1/day=2}. */
  private static String partition(Row group, List<String> partitionColumns) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < partitionColumns.size(); i++) {
      parts.add(partitionColumns.get(i) + "=" + group.get(4 + i));
    }
    return String.join("/", parts);
  }

  /**
   * These counts, after checking that every file of {@code files} produced as many rows as it holds
   * records ({@link RecordAccounting}).
   *
   * @param what the input, for the message
   */
  public RowCounts verifiedAgainst(String what, List<io.shoplake.common.lake.InputFile> files) {
    io.shoplake.common.io.RecordAccounting.verify(what, files, rowsBySourceFile);
    return this;
  }
}
