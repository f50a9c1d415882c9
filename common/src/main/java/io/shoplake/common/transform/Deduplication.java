package io.shoplake.common.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Keeps one row per key (the most preferred) and labels the others {@code duplicate}, without
 * shuffling the whole dataset: only the keys are aggregated to find the ones that occur more than
 * once, and only the rows of those keys are ranked with a window. In a typical batch, where few keys
 * repeat, the cost is one narrow aggregation of the key column plus a map-side (broadcast) join.
 *
 * <p>{@link #deduplicate} caches the ranked rows of the repeated keys (few, in a typical batch): the marked rows
 * are the union of the unique rows and those, and without the cache every action on the union (the counts, each
 * write) scanned the whole input a second time for its ranked branch. Without adaptive execution they are cached
 * in one partition per {@link #REPEATED_ROWS_PER_RANKED_PARTITION} rows ({@link #rankedPartitions}). With no
 * repeated key there is nothing to rank and the rows are marked without any join.
 */
public final class Deduplication {
  public static final String DUPLICATE = "duplicate";
  private static final String FLAG = "_has_duplicates";
  private static final String RANK = "_duplicate_rank";
  private static final String KEY = "_repeated_key";

  /** Repeated keys up to this count are joined by broadcast; beyond, the join shuffles. */
  public static final long BROADCAST_REPEATED_KEYS_LIMIT = 2_000_000L;

  /**
   * Rows of repeated keys per partition of the cached ranked rows, without adaptive execution. Why not the
   * window's shuffle partitions: without adaptive execution (local runs) each of them is a task of every later
   * write, and a small file in every output partition its few rows touch (docs/BENCHMARKS.md, thirty-second
   * round). Why a million: a 1M-row input sent five times (1M keys of five rows each) ranked as fast in 4
   * partitions of 1.25M rows as in 5 or 8, without a spill on a 4 GB driver, and more partitions only made more
   * files (thirty-third round).
   */
  static final long REPEATED_ROWS_PER_RANKED_PARTITION = 1_000_000L;

  /** The column of {@link #repeatedKeyCounts} that holds how many rows have the key. */
  private static final String ROWS = "_rows";

  private Deduplication() {}

  /**
   * {@link #markDuplicates} with the repeated keys found, counted and cached here: the broadcast is
   * chosen when they are few. Costs a shuffle of the key column and one aggregation of the repeated keys
   * (their count and their rows'); call {@link Marked#release()} when the marked rows are no longer read.
   */
  public static Marked deduplicate(Dataset<Row> rows, String key, List<Column> preference) {
    Dataset<Row> repeated = repeatedKeyCounts(rows, key).persist(StorageLevel.MEMORY_AND_DISK());
    Row sizes = CachedPlans.startingAtCache(repeated).agg(count(lit(1)), sum(col(ROWS))).first();
    return deduplicate(rows, key, preference, repeated, sizes.getLong(0), sizes.isNullAt(1) ? 0 : sizes.getLong(1));
  }

  /**
   * {@link #deduplicate(Dataset, String, List)} with the repeated keys of {@code rows} found by the caller:
   * for a caller whose one aggregation finds them and counts something else of the same rows, in one read.
   *
   * @param repeated the keys of {@code rows} that occur more than once (column {@code key}; other columns are
   *     ignored), from a persisted Dataset ({@link Marked#release()} unpersists it when it is persisted itself)
   * @param count how many keys {@code repeated} holds
   * @param repeatedRows how many of {@code rows} have one of those keys: the rows ranked, which size the
   *     ranked rows' partitions ({@link #rankedPartitions})
   */
  public static Marked deduplicate(Dataset<Row> rows, String key, List<Column> preference, Dataset<Row> repeated,
      long count, long repeatedRows) {
    if (count == 0) {
      return new Marked(key, rows.withColumn(RowRules.REJECT_REASON, lit(null).cast("string")), repeated, 0, null);
    }
    Split split = split(rows, key, preference, CachedPlans.startingAtCache(repeated),
        count <= BROADCAST_REPEATED_KEYS_LIMIT);
    Dataset<Row> ranked = split.ranked();
    if (!adaptiveExecution(rows)) {
      ranked = ranked.coalesce(rankedPartitions(repeatedRows));
    }
    return new Marked(key, split.unique(), repeated, count, ranked.persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /**
   * How many partitions the ranked rows, {@code repeatedRows} of them, are cached in without adaptive execution:
   * one per {@link #REPEATED_ROWS_PER_RANKED_PARTITION}, at least one. A coalesce, so no more than the window's
   * own shuffle partitions, and no shuffle: the window's stage runs in that many tasks. Sized by rows, so keys
   * that each repeat many times (a file sent again and again) still spread over as many tasks as their rows need.
   * With adaptive execution (Glue, clusters) no coalesce: it sizes the window's partitions by their bytes, and a
   * cap here would only take tasks from a large cluster.
   */
  static int rankedPartitions(long repeatedRows) {
    long partitions = repeatedRows / REPEATED_ROWS_PER_RANKED_PARTITION
        + (repeatedRows % REPEATED_ROWS_PER_RANKED_PARTITION == 0 ? 0 : 1);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, partitions));
  }

  private static boolean adaptiveExecution(Dataset<Row> rows) {
    return rows.sparkSession().sessionState().conf().adaptiveExecutionEnabled();
  }

  /**
   * The input marked: {@link #rows()} are the rows of the keys that occur once and the cached, ranked rows of
   * the repeated keys.
   *
   * @param key the column the rows were deduplicated on
   * @param unique the rows of the keys that occur once ({@code reject_reason} null); every row when none repeats
   * @param repeatedKeys the cached repeated keys
   * @param repeatedKeyCount how many keys occur more than once
   * @param ranked the cached rows of the repeated keys with their verdicts, or null when none repeats
   */
  public record Marked(String key, Dataset<Row> unique, Dataset<Row> repeatedKeys, long repeatedKeyCount,
      Dataset<Row> ranked) {
    /** The input with {@code reject_reason} (null or {@code duplicate}). */
    public Dataset<Row> rows() {
      return rows(part -> part);
    }

    /**
     * {@link #rows()} with {@code eachPart} applied to the unique rows and to the ranked ones apart, before
     * their union. Why: a union ends Spark's whole-stage code generation, so a narrow transform applied after
     * it runs in a stage of its own, behind a copy of every row; applied to each part it joins the part's
     * generated code. {@code eachPart} must be narrow (row by row), or the parts would each pay for it.
     */
    public Dataset<Row> rows(Transform eachPart) {
      Dataset<Row> marked = eachPart.apply(unique);
      return ranked == null ? marked : marked.unionByName(eachPart.apply(CachedPlans.startingAtCache(ranked)));
    }

    /**
     * {@code rows} with the boolean column {@code flag}: true when the row's {@link #key()} column holds a
     * repeated key, null otherwise; the join {@link #deduplicate} used (broadcast when the keys are few). For
     * counting other rows by the same verdict without reading the marked ones again.
     */
    public Dataset<Row> withRepeatedKeyFlag(Dataset<Row> rows, String flag) {
      if (repeatedKeyCount == 0) {
        return rows.withColumn(flag, lit(null).cast("boolean"));
      }
      return flagRepeated(rows, key, CachedPlans.startingAtCache(repeatedKeys),
          repeatedKeyCount <= BROADCAST_REPEATED_KEYS_LIMIT, flag);
    }

    public void release() {
      repeatedKeys.unpersist();
      if (ranked != null) {
        ranked.unpersist();
      }
    }
  }

  /**
   * The keys of {@code rows} that occur more than once (one column, {@code key}). Costs a shuffle of
   * the key column only; cache it when it is used more than once.
   */
  public static Dataset<Row> repeatedKeys(Dataset<Row> rows, String key) {
    return repeatedKeyCounts(rows, key).select(col(key));
  }

  /** {@link #repeatedKeys} with how many rows each has (column {@link #ROWS}): the same shuffle. */
  private static Dataset<Row> repeatedKeyCounts(Dataset<Row> rows, String key) {
    Contracts.requireColumns(rows, "find repeated keys", key);
    return rows.groupBy(col(key)).agg(count(lit(1)).as(ROWS)).filter(col(ROWS).gt(1));
  }

  /**
   * Adds {@code reject_reason}: null for the preferred row of each key, {@code duplicate} for the
   * others. {@code preference} orders the rows of one key, most preferred first; it must end in a
   * column that tells rows apart, or ties are broken arbitrarily.
   *
   * @param repeatedKeys the output of {@link #repeatedKeys} for these rows
   * @param broadcastKeys join the repeated keys by broadcast (when they fit in memory) rather than by
   *     a shuffle of every row
   */
  public static Dataset<Row> markDuplicates(Dataset<Row> rows, String key, List<Column> preference,
      Dataset<Row> repeatedKeys, boolean broadcastKeys) {
    Split split = split(rows, key, preference, repeatedKeys, broadcastKeys);
    return split.unique().unionByName(split.ranked());
  }

  /** The rows of keys that occur once (valid), and the ranked rows of the repeated keys (one valid each). */
  private record Split(Dataset<Row> unique, Dataset<Row> ranked) {}

  private static Split split(Dataset<Row> rows, String key, List<Column> preference, Dataset<Row> repeatedKeys,
      boolean broadcastKeys) {
    Contracts.requireColumns(rows, "deduplicate on " + key, key);
    Dataset<Row> flagged = flagRepeated(rows, key, repeatedKeys, broadcastKeys, FLAG);
    Dataset<Row> unique = flagged.filter(col(FLAG).isNull())
        .withColumn(RowRules.REJECT_REASON, lit(null).cast("string"))
        .drop(FLAG);
    Dataset<Row> ranked = flagged.filter(col(FLAG).isNotNull())
        .withColumn(RANK, row_number().over(
            Window.partitionBy(col(key)).orderBy(preference.toArray(new Column[0]))))
        .withColumn(RowRules.REJECT_REASON,
            when(col(RANK).equalTo(1), lit(null).cast("string")).otherwise(lit(DUPLICATE)))
        .drop(FLAG, RANK);
    return new Split(unique, ranked);
  }

  /** {@code rows} with {@code flag}: true when {@code key} is one of {@code repeatedKeys}, else null. */
  private static Dataset<Row> flagRepeated(Dataset<Row> rows, String key, Dataset<Row> repeatedKeys,
      boolean broadcastKeys, String flag) {
    // The keys come from the same rows: a renamed key column keeps the self-join unambiguous.
    Dataset<Row> keys = repeatedKeys.select(col(key).as(KEY)).withColumn(flag, lit(true));
    return rows.join(broadcastKeys ? broadcast(keys) : keys, col(key).equalTo(col(KEY)), "left").drop(KEY);
  }
}
