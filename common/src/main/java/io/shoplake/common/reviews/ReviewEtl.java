package io.shoplake.common.reviews;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.EveryRawDate;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.validation.RegistryScreen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reviews: the declared raw dataset {@link ReviewRules#DATASET} -> {@code processed/reviews/year=/month=/day=}
 * (UTC date of {@code review_ts}), rejects and duplicates in {@code quarantine/reviews/}. Nothing
 * here is unique to reviews: it is the shared path ({@link Staging}) and sinks ({@link DatasetSink}).
 *
 * <p>Reads every raw date and rebuilds the dataset: the partitions it produces are overwritten, the
 * ones it no longer produces are deleted, so a rerun gives the same rows and a corrected file leaves
 * nothing stale.
 *
 * <p>Cost: one JSON scan whose rows are cached, one narrow aggregation of the ids, one count
 * aggregation, two writes.
 */
public final class ReviewEtl implements LakeJob {
  public static final String NAME = "reviews";
  private static final List<String> PROCESSED_COLUMNS = List.of("review_id", "product_id", "customer_id", "rating",
      "title", "body", "review_ts", "verified_purchase", "source_file", "ingested_at", "run_id", "job_name", "year",
      "month", "day");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(FlowStep.FILE_VERDICTS), List.of(),
        List.of("processed/" + config.reviews().dataset())));
  }

  @Override
  public JobResult run(JobContext ctx) {
    String folder = ctx.config().reviews().dataset();
    EveryRawDate input = new EveryRawDate(ctx, RegistryScreen.rawZone(ctx));
    List<InputFile> files = input.files(folder);
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("processed", ctx.paths().processed(folder));
    outputs.put("quarantine", ctx.paths().quarantine(folder));
    List<String> warnings = input.warnings();
    if (input.nothingNew()) {
      warnings.add(input.nothingNewWarning("files under " + ctx.paths().raw(folder)));
      return JobResult.nothingToDo(outputs, warnings);
    }

    ctx.fitToInputFiles(files);
    ctx.stage("read, validate and deduplicate " + files.size() + " raw file(s)");
    Staged staged = Staging.stage(ctx.spark(), ReviewRules.DATASET, files, Staging.Run.of(ctx));
    RowCounts counts = staged.counts(files);

    ctx.stage("write processed/" + folder);
    long written = DatasetSink.replaceDayPartitions(ctx, DatasetSink.kept(staged.classified(), PROCESSED_COLUMNS),
        counts, ctx.paths().processed(folder));
    ctx.stage("write quarantine/" + folder);
    DatasetSink.quarantine(ctx, staged.classified(), ReviewRules.DATASET, folder, InputFile.rawDates(files),
        counts.rawDatesWithRejects());
    staged.release();

    if (files.isEmpty()) {
      warnings.add("no input files under " + ctx.paths().raw(folder) + "/date=*: the dataset is now empty");
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("repeated_review_ids", staged.repeatedKeys());
    return new JobResult(files, counts.rowsRead(), written, counts.rejectedByReason(),
        new ArrayList<>(counts.partitionsToWrite()), outputs, metrics, warnings);
  }
}
