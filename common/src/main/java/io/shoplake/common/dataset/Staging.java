package io.shoplake.common.dataset;

import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.transform.Deduplication;
import io.shoplake.common.transform.Ingest;
import io.shoplake.common.transform.Transform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The one path that stages any declared {@link RawDataset}: read its files -> clean -> rules ->
 * typed -> derived -> day partition columns, cached, then the ingest columns and deduplicated on its key.
 * Every job that reads a raw dataset goes through here, so a rule, a reader fault or a lineage column
 * behaves the same in each.
 *
 * <p>Cost: one scan of the files (cached, at MEMORY_AND_DISK unless the job says otherwise, so the counts
 * and the writes never read them again) and, with a key, one narrow aggregation of the key column plus a
 * broadcast join ({@link Deduplication}).
 */
public final class Staging {
  private Staging() {}

  /**
   * The run a dataset is staged in: the values of its ingest columns, and the latest event time its
   * rules accept.
   */
  public record Run(String runId, String jobName, Instant startedAt, Instant latestAccepted) {
    /** The run of a job: its id, name and start, and the latest time the config's tolerance accepts. */
    public static Run of(JobContext ctx) {
      return new Run(ctx.runId(), ctx.jobName(), ctx.startedAt(),
          ctx.config().validate().latestAcceptedTime(ctx.startedAt()));
    }
  }

  /** {@code files} of {@code dataset}, read, validated, typed and deduplicated; release it when done. */
  public static Staged stage(SparkSession spark, RawDataset dataset, List<InputFile> files, Run run) {
    return stage(spark, dataset, files, run, StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * As {@link #stage(SparkSession, RawDataset, List, Run)}, cached at {@code cacheLevel}: for a job whose
   * staged rows may not fit the heap beside its later caches (clickstream's {@code persist-level}).
   */
  public static Staged stage(SparkSession spark, RawDataset dataset, List<InputFile> files, Run run,
      StorageLevel cacheLevel) {
    return stage(read(spark, dataset, files), dataset, run, cacheLevel);
  }

  /** As {@link #stage(SparkSession, RawDataset, List, Run)}, for rows already read as {@link #read} reads them. */
  public static Staged stage(Dataset<Row> read, RawDataset dataset, Run run) {
    return stage(read, dataset, run, StorageLevel.MEMORY_AND_DISK());
  }

  private static Staged stage(Dataset<Row> read, RawDataset dataset, Run run, StorageLevel cacheLevel) {
    Dataset<Row> cached = validated(read, dataset, run).persist(cacheLevel);
    Dataset<Row> rows = CachedPlans.startingAtCache(cached).transform(withIngestColumns(run));
    if (dataset.dedup().isEmpty()) {
      return new Staged(dataset, rows, null, cached);
    }
    Dedup dedup = dataset.dedup().get();
    Dataset<Row> valid = rows.filter(col(RowRules.REJECT_REASON).isNull());
    // The content hash is the last tie-break, an expression of the ranking only: computed for the rows of
    // repeated keys, not for every row.
    List<Column> preference = new ArrayList<>(dedup.preference());
    preference.add((dedup.hashOfRawFields() ? xxhash64(col(RawFields.RAW))
        : xxhash64(dataset.fields().stream().map(c -> col(c)).toArray(Column[]::new))).desc());
    return new Staged(dataset, rows, Deduplication.deduplicate(valid, dedup.key(), preference), cached);
  }

  /**
   * Adds the ingest columns of {@code run} ({@code ingested_at}, {@code run_id}, {@code job_name}). Why
   * apart from {@link #validated}: they are the same literal in every row, so they are added after the
   * cache, where they cost nothing, instead of being stored in it (about 45 bytes a row uncompressed).
   */
  public static Transform withIngestColumns(Run run) {
    return Ingest.withIngestColumns(run.runId(), run.jobName(), run.startedAt());
  }

  /**
   * The files as rows of string fields, the corrupt-record column ({@link RawFields#CORRUPT_RECORD}) and
   * the lineage columns {@code source_file} and {@code raw_date}.
   */
  public static Dataset<Row> read(SparkSession spark, RawDataset dataset, List<InputFile> files) {
    return switch (dataset.format()) {
      case CSV -> CsvSource.read(spark, files, dataset.fields(), RawFields.CORRUPT_RECORD);
      case JSON_LINES -> JsonLinesSource.read(spark, files, dataset.fields(), RawFields.CORRUPT_RECORD);
    };
  }

  /**
   * Read rows (from {@link #read}, or another source with the same string columns) cleaned, with
   * {@code reject_reason}, typed, derived and, for a day-partitioned dataset, {@code year/month/day};
   * without the ingest columns ({@link #withIngestColumns}: after a cache). One projection chain; no
   * shuffle, nothing cached. Each typed field is parsed once, before the rules ({@link Typing#withParsed}),
   * and the rules and the typing share it.
   */
  public static Dataset<Row> validated(Dataset<Row> read, RawDataset dataset, Run run) {
    return validated(read, dataset, run, List.of());
  }

  /** As {@link #validated(Dataset, RawDataset, Run)}, with the source's own rules before the reader's. */
  public static Dataset<Row> validated(Dataset<Row> read, RawDataset dataset, Run run, List<RowRule> sourceRules) {
    Dataset<Row> typed = RawFields.clean(read, dataset.fields(), dataset.normalisers(), dataset.name())
        .transform(Typing.withParsed(dataset.typed()))
        .transform(RowRules.withRejectReason(rules(dataset, run, sourceRules)))
        .transform(Typing.to(dataset.typed()))
        .transform(dataset.derive());
    return dataset.dayOf().map(ts -> typed.transform(DayPartitions.withDayOf(col(ts)))).orElse(typed);
  }

  /** Every rule of a row of {@code dataset}, in order: the source's, the reader's, then the dataset's. */
  static List<RowRule> rules(RawDataset dataset, Run run, List<RowRule> sourceRules) {
    List<RowRule> rules = new ArrayList<>(sourceRules);
    if (dataset.format() == RawDataset.Format.JSON_LINES) {
      rules.addAll(JsonLinesSource.lineRules());
    }
    rules.add(rule("malformed_row", col(RawFields.CORRUPT_RECORD).isNotNull()));
    rules.addAll(dataset.rules().apply(run.latestAccepted()));
    return rules;
  }
}
