package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Deduplication;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quarantine of the processed rows a run replaces with a newer version from a later file. A run over every
 * raw file quarantines an older version as {@code duplicate}; an incremental run (the bookmark, or
 * {@code --run-date}) met it as a processed row, and removed it from processed without a trace but the
 * manifest's {@code rows_superseded}. Here its file is read again and, for each replaced transaction id, every
 * row of that file with the id goes to quarantine as a run over every file would have it: {@code duplicate}
 * when valid, its rule's reason otherwise. The rows of that file and id already in quarantine (the ones its own
 * run rejected) are replaced, so the result is the same however often this runs. So an incremental lake equals a
 * lake built from every file at once, and every raw row is in processed or in quarantine.
 *
 * <p>Only for a CSV input: stg_core's rows are the database's current state, where an updated row has no older
 * version left to account for. A file that is no longer in the raw zone, or that the file checks now reject,
 * has no rows to quarantine. Costs, only when the merge replaced processed rows: a read of the replaced rows'
 * files (the rules run on those ids' lines only), a scan of their dates' quarantine and its rewrite, before the
 * processed write (so a run killed between the two finds the same rows to replace when it is rerun). At 1M rows
 * over 10 daily files, 986 ids replaced across all of them took about 7 s of a 44 s run (docs/BENCHMARKS.md).
 */
final class SupersededRows {
  private SupersededRows() {}

  /**
   * @param keys the replaced rows' {@code source_file} and {@code transaction_id}
   *     ({@link TransactionMerge#supersededKeys})
   * @return the raw dates whose quarantine was rewritten
   */
  static SortedSet<String> quarantine(JobContext ctx, RawZone rawZone, String dataset, List<Row> keys) {
    Set<String> sourceFiles = new TreeSet<>();
    keys.forEach(k -> sourceFiles.add(k.getString(0)));
    List<InputFile> files = rawZone.listOnly(dataset, sourceFiles);
    Set<String> found = new TreeSet<>();
    files.forEach(f -> found.add(f.relativePath()));
    // A file gone from the raw zone, or now rejected by the file checks: a run over every file has no row of it.
    List<Row> keysOfFiles = keys.stream().filter(k -> found.contains(k.getString(0))).toList();
    if (keysOfFiles.isEmpty()) {
      return new TreeSet<>();
    }
    SortedSet<String> dates = InputFile.rawDates(files);
    ctx.stage("quarantine the older versions of " + keysOfFiles.size() + " replaced transaction(s) from "
        + files.size() + " earlier file(s)");
    StructType keyType = new StructType().add("k_source_file", DataTypes.StringType)
        .add("k_transaction_id", DataTypes.StringType);
    Dataset<Row> replacedKeys = broadcast(ctx.spark().createDataFrame(keysOfFiles, keyType));
    // The replaced ids' lines are picked before the rules, which then run on those few: the files are read whole
    // (as their own run read them), but cleaned, typed and checked only where it matters. The rules take the id
    // without its surrounding blanks, and quarantine keeps the fields as read, so both sides compare it trimmed.
    Column ofReplacedId = col("source_file").equalTo(col("k_source_file"))
        .and(trim(col("transaction_id")).equalTo(col("k_transaction_id")));
    Dataset<Row> rows = Staging.validated(
            CsvSource.read(ctx.spark(), files, TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD)
                .join(replacedKeys, ofReplacedId, "left_semi"),
            TransactionRules.DATASET, Staging.Run.of(ctx))
        .withColumn(RowRules.REJECT_REASON, coalesce(col(RowRules.REJECT_REASON), lit(Deduplication.DUPLICATE)))
        .select(RawFields.quarantineColumns(TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD));
    QuarantineSink.replace(rows, TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD, ctx.runId(),
        ctx.paths().quarantine(dataset), dates,
        existing -> existing.join(replacedKeys, ofReplacedId, "left_anti"),
        ctx.spark().sparkContext().hadoopConfiguration());
    return dates;
  }
}
