package io.shoplake.common.state;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.common.transform.Ingest;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * A fingerprint of each partition's content: its row count and the sum of a 64-bit hash of every row
 * (order-free, summed as a decimal so it cannot overflow). Lineage columns that change on every
 * rewrite ({@code ingested_at}, {@code run_id}, {@code job_name}) are left out, so a dataset rewritten
 * with the same rows has the same fingerprints: a consumer recomputes only what really changed. Map
 * columns are left out too (Spark cannot hash them).
 *
 * <p>The sum is taken as two long sums, of each hash's signed upper and unsigned lower 32 bits, and put
 * together on the driver ({@code upper * 2^32 + lower}): the same number as a decimal sum of the hashes,
 * so fingerprints recorded under a lake stay valid, without a decimal addition per row (a quarter of
 * this scan's profile on the 1M pipeline's lake). Exact up to 2^31 rows in one partition.
 *
 * <p>Cost: one scan and one small aggregation of each dataset (hashing is cheap next to the scan), all
 * datasets in one execution. The aggregation groups by the partition columns themselves; a partition's
 * name is built once per partition, after it.
 */
public final class PartitionFingerprints {
  /** Columns that differ between two writes of the same rows. */
  public static final Set<String> VOLATILE_COLUMNS = Set.copyOf(Ingest.COLUMNS);
  private static final long LOWER_32_BITS = 0xFFFFFFFFL;

  private PartitionFingerprints() {}

  /**
   * The fingerprints of several datasets ({@code name -> rows}) in one Spark execution: each dataset's
   * aggregation by partition, united, one collect. The same scans as one execution per dataset, but one
   * plan and one job: on a small input every action is a fixed cost.
   *
   * @param partitionColumns per dataset, its partition columns in path order; empty: one fingerprint for the
   *     whole dataset, under the key {@code ""}
   * @return dataset name to its fingerprints (partition name, e.g. {@code year=2025/month=1/day=2}, to
   *     fingerprint), for every dataset given
   */
  public static Map<String, SortedMap<String, String>> ofEach(Map<String, Dataset<Row>> datasets,
      Map<String, List<String>> partitionColumns) {
    Map<String, SortedMap<String, String>> fingerprints = new TreeMap<>();
    Dataset<Row> all = null;
    for (Map.Entry<String, Dataset<Row>> dataset : datasets.entrySet()) {
      fingerprints.put(dataset.getKey(), new TreeMap<>());
      Dataset<Row> one = aggregated(dataset.getValue(), partitionColumns.get(dataset.getKey()))
          .select(lit(dataset.getKey()).as("_dataset"), col("*"));
      all = all == null ? one : all.unionByName(one);
    }
    if (all != null) {
      Map<String, List<Row>> byDataset = all.collectAsList().stream()
          .collect(Collectors.groupingBy(r -> r.getString(0)));
      byDataset.forEach((name, rows) -> fingerprints.put(name, read(rows)));
    }
    return fingerprints;
  }

  /**
   * {@link #ofEach}, reading only what changed: a partition whose folder has the same file signature
   * ({@link io.shoplake.common.lake.DatasetSignature#ofEachFolder}) now as when {@code recorded} was taken
   * keeps its recorded fingerprint, unread; the other partitions are scanned, the scan pruned to their
   * folders (Spark lists and reads no other). A dataset with nothing left to scan is not read at all. A
   * partition whose folder name is not its partition name (a null value's folder) is always scanned.
   *
   * <p>Why: on a lake that grows by a day per run, a full fingerprint scan costs the whole lake each run;
   * this costs the new and rewritten days. The result equals {@link #ofEach} as long as a folder whose files
   * (names, sizes, modification times) are unchanged holds the same rows, which every writer here keeps
   * (a rewrite writes new files).
   *
   * @param recorded per dataset, the fingerprints recorded with {@code recordedFolders}
   * @param recordedFolders per dataset, its folder signatures when {@code recorded} was taken
   * @param folders per dataset, its folder signatures now
   */
  public static Reused ofEachChanged(Map<String, Dataset<Row>> datasets, Map<String, List<String>> partitionColumns,
      Map<String, SortedMap<String, String>> recorded, Map<String, SortedMap<String, String>> recordedFolders,
      Map<String, SortedMap<String, String>> folders) {
    Map<String, SortedMap<String, String>> kept = new TreeMap<>();
    Map<String, Dataset<Row>> toScan = new TreeMap<>();
    int reused = 0;
    for (Map.Entry<String, Dataset<Row>> dataset : datasets.entrySet()) {
      String name = dataset.getKey();
      SortedMap<String, String> before = recordedFolders.getOrDefault(name, new TreeMap<>());
      SortedMap<String, String> now = folders.getOrDefault(name, new TreeMap<>());
      SortedMap<String, String> keep = new TreeMap<>();
      recorded.getOrDefault(name, new TreeMap<>()).forEach((partition, fingerprint) -> {
        String signature = now.get(partition);
        if (signature != null && signature.equals(before.get(partition))) {
          keep.put(partition, fingerprint);
        }
      });
      kept.put(name, keep);
      reused += keep.size();
      List<String> columns = partitionColumns.get(name);
      if (columns.isEmpty() && keep.containsKey("")) {
        continue;
      }
      toScan.put(name, keep.isEmpty() || columns.isEmpty() ? dataset.getValue()
          : dataset.getValue().filter(not(partitionName(columns).isin(keep.keySet().toArray()))));
    }
    Map<String, SortedMap<String, String>> fingerprints = new TreeMap<>(kept);
    ofEach(toScan, partitionColumns).forEach((name, scanned) -> fingerprints.get(name).putAll(scanned));
    return new Reused(fingerprints, reused);
  }

  /**
   * Fingerprints of which some were reused ({@link #ofEachChanged}).
   *
   * @param fingerprints dataset name to its fingerprints, as {@link #ofEach} gives them
   * @param reused how many partitions kept their recorded fingerprint, unread
   */
  public record Reused(Map<String, SortedMap<String, String>> fingerprints, int reused) {}

  /** A row's partition name ({@code year=2025/month=1/day=2}) from its partition columns, in path order. */
  private static Column partitionName(List<String> partitionColumns) {
    List<Column> keys = new ArrayList<>();
    for (String p : partitionColumns) {
      keys.add(concat_ws("=", lit(p), col(p).cast("string")));
    }
    return concat_ws("/", keys.toArray(new Column[0]));
  }

  /** One row per partition: its name, row count and the two halves' hash sums. */
  private static Dataset<Row> aggregated(Dataset<Row> rows, List<String> partitionColumns) {
    List<Column> content = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      if (!VOLATILE_COLUMNS.contains(field.name()) && !partitionColumns.contains(field.name())
          && !(field.dataType() instanceof MapType)) {
        content.add(col(field.name()));
      }
    }
    Column hash = xxhash64(struct(content.toArray(new Column[0])));
    Column[] sums = {count(lit(1)).as("_rows"), sum(shiftright(hash, 32)).as("_upper_sum"),
        sum(hash.bitwiseAND(lit(LOWER_32_BITS))).as("_lower_sum")};
    if (partitionColumns.isEmpty()) {
      return rows.groupBy(lit("").as("_partition")).agg(sums[0], sums[1], sums[2]);
    }
    return rows.groupBy(partitionColumns.stream().map(p -> col(p)).toArray(Column[]::new))
        .agg(sums[0], sums[1], sums[2])
        .select(partitionName(partitionColumns).as("_partition"), col("_rows"), col("_upper_sum"), col("_lower_sum"));
  }

  /**
   * Partition name to {@code rows:hash sum}, from united aggregated rows (dataset, partition, rows, upper
   * and lower sums).
   */
  private static SortedMap<String, String> read(List<Row> rows) {
    SortedMap<String, String> fingerprints = new TreeMap<>();
    for (Row r : rows) {
      BigInteger hashSum = BigInteger.valueOf(r.getLong(3)).shiftLeft(32).add(BigInteger.valueOf(r.getLong(4)));
      fingerprints.put(r.getString(1), r.getLong(2) + ":" + hashSum);
    }
    return fingerprints;
  }

  /** The partitions whose fingerprint differs between {@code before} and {@code after}, added and removed included. */
  public static java.util.SortedSet<String> changed(SortedMap<String, String> before, SortedMap<String, String> after) {
    java.util.SortedSet<String> changed = new java.util.TreeSet<>();
    after.forEach((p, f) -> {
      if (!f.equals(before.get(p))) {
        changed.add(p);
      }
    });
    before.keySet().forEach(p -> {
      if (!after.containsKey(p)) {
        changed.add(p);
      }
    });
    return changed;
  }
}
