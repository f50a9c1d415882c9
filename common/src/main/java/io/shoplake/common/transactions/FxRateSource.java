package io.shoplake.common.transactions;

import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRules;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Reads every raw FX rate file through the shared staging path ({@link FxRates#DATASET}: bad rows and
 * repeated currency/date pairs quarantined), and returns the rates' validity ranges as a local relation,
 * broadcast to every transaction task.
 *
 * <p>The rates are a reference table of a few thousand rows, so their classified rows are collected to
 * the driver once and everything else is computed from that copy: the row counts and the validity ranges
 * on the driver, the quarantine written from a local relation. Cost: one small CSV scan (cached), the
 * key aggregation of the deduplication, one collect, and the quarantine write when a row was rejected;
 * each Spark execution avoided here saves about a second of planning on a small run.
 */
public final class FxRateSource {
  /**
   * @param ranges validity ranges for {@link TransactionTransforms#withUsdAmounts}, a local relation
   * @param rowsRead FX rows read
   * @param rejectedByReason FX rows quarantined, by reason
   */
  public record Loaded(Dataset<Row> ranges, long rowsRead, Map<String, Long> rejectedByReason) {}

  private FxRateSource() {}

  /** @param folder the raw folder of the rates ({@code raw/<folder>/}) */
  public static Loaded load(JobContext ctx, List<InputFile> files, String folder) {
    SparkSession spark = ctx.spark();
    if (files.isEmpty()) {
      return new Loaded(FxRates.validityRanges(spark, List.of()), 0, Map.of());
    }
    Staged staged = Staging.stage(spark, FxRates.DATASET, files, Staging.Run.of(ctx));
    Dataset<Row> classifiedPlan = staged.classified();
    StructType schema = classifiedPlan.schema();
    List<Row> classified = classifiedPlan.collectAsList();
    staged.release();
    RowCounts counts = staged.counts(classified, schema, files);
    DatasetSink.quarantine(ctx, spark.createDataFrame(classified, schema), FxRates.DATASET, folder,
        InputFile.rawDates(files), counts.rawDatesWithRejects());
    int reason = schema.fieldIndex(RowRules.REJECT_REASON);
    int skip = List.of(schema.fieldNames()).indexOf(RowCounts.SKIP_REASON); // -1: losers are quarantined
    List<Row> kept = classified.stream().filter(r -> r.isNullAt(reason) && (skip < 0 || r.isNullAt(skip))).toList();
    return new Loaded(FxRates.validityRanges(spark, kept), counts.rowsRead(), counts.rejectedByReason());
  }
}
