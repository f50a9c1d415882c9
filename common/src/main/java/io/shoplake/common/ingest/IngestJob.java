package io.shoplake.common.ingest;

import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.state.StateCommit;
import io.shoplake.common.validation.FileInspection;
import io.shoplake.common.validation.FileQuarantine;
import io.shoplake.common.validation.RawFormat;
import io.shoplake.common.validation.RegistryScreen;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The generic file processor: {@code ingest --dataset NAME} takes any raw dataset that has no declared
 * job ({@code raw/NAME/date=*}, CSV or JSON Lines) to {@code processed/NAME/year=/month=/day=} (the raw
 * date), through the same staging path and sinks as the declared datasets.
 *
 * <p>Its declaration is a recorded contract ({@link SchemaContract} in {@code _schemas/NAME/}): inferred on
 * the first run from a bounded sample of the first file ({@link FileSampler}), then applied as recorded.
 * Each new file's sample is compared with it ({@link SchemaEvolution}): a new column or a widened type is
 * a new version, a missing column reads as null and is reported, and a file whose values fit no widening
 * (text in a number column) is quarantined in {@code quarantine/_files/NAME/} with a reason naming the
 * column and both types; the job goes on with the other files. A row whose value does not fit its
 * column's type is quarantined as {@code invalid_<column>}.
 *
 * <p>Every run with new files rebuilds the dataset from every accepted file with the latest contract,
 * so all partitions have the same columns and types (a reader never meets int in one partition and
 * bigint in another). Columns added: {@code processed_at}, {@code source_file}, {@code processing_job}
 * (the seed's metadata) beside the lake's {@code ingested_at}, {@code run_id}, {@code job_name}. The new
 * versions and the file verdicts are committed by the runner with the bookmark, after the writes.
 *
 * <p>Cost: one small sampling job per new file (a limit, not a scan), one scan of every file, one count
 * aggregation, two writes.
 */
public final class IngestJob implements LakeJob {
  public static final String NAME = "ingest";
  /** Records sampled from each new file when none is given. */
  public static final int DEFAULT_SAMPLE_ROWS = 1000;
  private static final String SAFE_NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<JobOption> options(LakeConfig config) {
    return List.of(
        JobOption.text("dataset", SAFE_NAME, "name a raw dataset folder (raw/NAME/date=*/): letters, digits, _ . -")
            .mandatory(),
        JobOption.text("sample-rows", "[1-9][0-9]{0,6}", "expected the records to sample per new file (1 to 9999999)"));
  }

  @Override
  public JobResult run(JobContext ctx) {
    String dataset = ctx.args().get("dataset").orElseThrow(() -> new UsageException("Cannot run without --dataset"));
    if (RawFormat.all(ctx.config()).stream().anyMatch(f -> f.dataset().equals(dataset))) {
      throw new UsageException("Cannot ingest " + dataset + ": it is a declared dataset, read by its own job");
    }
    ContractStore store = new ContractStore(ctx.paths().root(), dataset, ctx.spark().sparkContext().hadoopConfiguration());
    Optional<SchemaContract> current = store.latest();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("processed", ctx.paths().processed(dataset));
    outputs.put("quarantine", ctx.paths().quarantine(dataset));
    outputs.put("schemas", store.dir());
    if (!RegistryScreen.rawZone(ctx, List.of()).exists(dataset)) {
      throw new IllegalArgumentException("Cannot ingest " + dataset + ": no folder " + ctx.paths().raw(dataset));
    }
    RawDataset.Format format = current.map(SchemaContract::format).orElseGet(() -> formatOf(ctx, dataset));
    Verdicts files = new Verdicts(ctx, dataset, format, store.checkedFiles());
    if (files.fresh.isEmpty() && current.isPresent() && !ctx.bookmark().anyUnprocessed(files.accepted)) {
      files.warnings.add(FileBookmark.nothingNew("files under " + ctx.paths().raw(dataset)));
      return JobResult.nothingToDo(outputs, files.warnings);
    }

    ctx.stage("sample " + files.fresh.size() + " new file(s) of " + dataset);
    int sampleRows = ctx.args().get("sample-rows").map(Integer::parseInt).orElse(DEFAULT_SAMPLE_ROWS);
    List<SchemaEvolution.FileSample> samples = new ArrayList<>();
    files.fresh.forEach(f -> samples.add(FileSampler.sample(ctx.spark(), format, f, sampleRows)));
    SchemaEvolution.Outcome outcome = SchemaEvolution.apply(dataset, format, current, samples, ctx.runId());
    files.judge(outcome);
    outcome.versions().forEach(v -> files.warnings.add("schema " + dataset + " v" + v.version() + ": " + v.change()));
    List<StateCommit> state = new ArrayList<>();
    outcome.versions().forEach(v -> state.add(store.record(v)));
    state.add(store.recordFiles(files.checked));
    Optional<SchemaContract> latest = outcome.latest(current);
    if (latest.isEmpty()) {
      files.warnings.add("no file of " + dataset + " could be read: no contract recorded, nothing written");
      return new JobResult(files.accepted, 0, 0, Map.of(), List.of(), outputs, Map.of(), files.warnings)
          .withState(state);
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("dataset", dataset);
    metrics.put("schema_version", latest.get().version());
    metrics.put("schema", latest.get().schema().simpleString());
    metrics.put("files_rejected_for_schema", outcome.rejected().size());
    return write(ctx, latest.get(), files.accepted)
        .result(files.accepted, outputs, metrics, files.warnings)
        .withState(state)
        .withTables(List.of(IngestedTables.of(latest.get())));
  }

  /** What the write of an ingested dataset did. */
  private record Written(long rowsRead, long rowsWritten, Map<String, Long> rejectedByReason, List<String> partitions) {
    JobResult result(List<InputFile> files, Map<String, String> outputs, Map<String, Object> metrics,
        List<String> warnings) {
      return new JobResult(files, rowsRead, rowsWritten, rejectedByReason, partitions, outputs, metrics, warnings);
    }
  }

  /**
   * Stages {@code files} with {@code contract} through the shared path and rebuilds processed/NAME and
   * quarantine/NAME from them. Cost: one scan, one count aggregation, two writes.
   */
  private static Written write(JobContext ctx, SchemaContract contract, List<InputFile> files) {
    String dataset = contract.dataset();
    RawDataset declared = declaration(contract);
    ctx.fitToInputFiles(files);
    ctx.stage("read and validate " + files.size() + " file(s) with contract v" + contract.version());
    Staged staged = Staging.stage(IngestRead.read(ctx.spark(), contract, files), declared, Staging.Run.of(ctx));
    RowCounts counts = staged.counts(files);
    ctx.stage("write processed/" + dataset);
    Dataset<Row> processed = staged.classified()
        .withColumn("processed_at", lit(Timestamp.from(ctx.startedAt())))
        .withColumn("processing_job", lit(NAME));
    long written = DatasetSink.replaceDayPartitions(ctx, DatasetSink.kept(processed, processedColumns(contract)),
        counts, ctx.paths().processed(dataset));
    ctx.stage("write quarantine/" + dataset);
    DatasetSink.quarantine(ctx, staged.classified(), declared, dataset, InputFile.rawDates(files),
        counts.rawDatesWithRejects());
    staged.release();
    return new Written(counts.rowsRead(), written, counts.rejectedByReason(), new ArrayList<>(counts.partitionsToWrite()));
  }

  /**
   * The files of one run and the verdict on each: a file judged before (same content) keeps its verdict,
   * a file of the other format is quarantined, the others are fresh and sampled; {@link #judge} then
   * accepts or quarantines them by the evolution's outcome. Lists the raw folder once and screens it
   * with the file checks.
   */
  private static final class Verdicts {
    private final JobContext ctx;
    private final String dataset;
    final Map<String, ContractStore.CheckedFile> checked;
    final List<InputFile> accepted = new ArrayList<>();
    final List<InputFile> fresh = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Verdicts(JobContext ctx, String dataset, RawDataset.Format format, Map<String, ContractStore.CheckedFile> known) {
      this.ctx = ctx;
      this.dataset = dataset;
      this.checked = new TreeMap<>(known);
      RawZone zone = RegistryScreen.rawZone(ctx,
          List.of(new RawFormat(dataset, format == RawDataset.Format.CSV, List.of())));
      List<InputFile> screened = zone.list(dataset, Optional.empty());
      warnings.addAll(zone.validationWarnings());
      ctx.args().runDate().ifPresent(d -> warnings.add(
          "--run-date " + d + " ignored: ingest rebuilds its dataset from every raw date"));
      for (InputFile file : screened) {
        ContractStore.CheckedFile verdict = checked.get(file.relativePath());
        if (verdict != null && verdict.sha256() != null && verdict.sha256().equals(file.sha256())) {
          if (verdict.accepted()) {
            accepted.add(file);
          }
        } else if (!matchesFormat(file, format)) {
          reject(file, "schema_format", "a " + extension(file) + " file in a " + format + " dataset");
        } else {
          fresh.add(file);
        }
      }
    }

    /** Accepts the fresh files the evolution took, quarantines the ones it rejected. */
    void judge(SchemaEvolution.Outcome outcome) {
      Map<String, SchemaEvolution.Rejection> rejections = new LinkedHashMap<>();
      outcome.rejected().forEach(r -> rejections.put(r.file(), r));
      for (InputFile file : fresh) {
        SchemaEvolution.Rejection rejection = rejections.get(file.relativePath());
        if (rejection != null) {
          reject(file, rejection.reason(), rejection.detail());
        } else {
          accepted.add(file);
          checked.put(file.relativePath(), new ContractStore.CheckedFile(file.sha256(), true, "sampled"));
        }
      }
      accepted.sort(Comparator.comparing(InputFile::path));
      warnings.addAll(outcome.notes());
    }

    private void reject(InputFile file, String reason, String detail) {
      FileQuarantine.record(ctx.paths(), dataset, file, new FileInspection(file.path(), file.sizeBytes(),
          file.sha256(), reason, detail, file.records(), file.wholeFileRead(), List.of()), reason, detail,
          ctx.runId(), ctx.spark().sparkContext().hadoopConfiguration());
      checked.put(file.relativePath(), new ContractStore.CheckedFile(file.sha256(), false, reason + ": " + detail));
      warnings.add("not read: " + file.relativePath() + " (" + reason + ": " + detail + "; see quarantine/_files/"
          + dataset + "/)");
    }
  }

  /** The lineage columns of an ingested dataset's rows, after the contract's: the seed's, then the lake's. */
  public static final List<String> METADATA = List.of("processed_at", "source_file", "processing_job", "ingested_at",
      "run_id", "job_name");

  /** The columns of processed/NAME: the contract's, {@link #METADATA}, then year, month, day. */
  static List<String> processedColumns(SchemaContract contract) {
    List<String> names = new ArrayList<>(contract.names());
    names.addAll(METADATA);
    names.addAll(DayPartitions.COLUMNS);
    return names;
  }

  /**
   * The contract as a declared dataset over the lake's column names ({@link IngestRead} renames them):
   * its types, one rule per typed column, partitioned by the raw date.
   */
  static RawDataset declaration(SchemaContract contract) {
    List<RowRule> rules = new ArrayList<>();
    for (SchemaContract.Column c : contract.columns()) {
      var type = ColumnTypes.parse(c.type());
      if (!type.equals(org.apache.spark.sql.types.DataTypes.StringType)) {
        rules.add(rule("invalid_" + c.name(), ColumnTypes.doesNotFit(c.name(), type)));
      }
    }
    return RawDataset.of(contract.dataset(), contract.format(), contract.names(), contract.schema(),
            latestAccepted -> rules)
        .partitionedByDayOf("raw_date");
  }

  /** The format of a new dataset, from its files' extensions: .csv, or .jsonl / .json / .ndjson. */
  private static RawDataset.Format formatOf(JobContext ctx, String dataset) {
    List<InputFile> files = RegistryScreen.rawZone(ctx, List.of()).listAll(dataset, Optional.empty());
    long csv = files.stream().filter(f -> matchesFormat(f, RawDataset.Format.CSV)).count();
    long json = files.stream().filter(f -> matchesFormat(f, RawDataset.Format.JSON_LINES)).count();
    if (csv == 0 && json == 0) {
      throw new IllegalArgumentException("Cannot ingest " + dataset + ": no .csv, .jsonl, .json or .ndjson file under "
          + "raw/" + dataset + "/date=*/");
    }
    if (csv == json) {
      throw new IllegalArgumentException("Cannot ingest " + dataset + ": as many CSV as JSON Lines files (" + csv
          + " each); a dataset has one format");
    }
    return csv > json ? RawDataset.Format.CSV : RawDataset.Format.JSON_LINES;
  }

  private static boolean matchesFormat(InputFile file, RawDataset.Format format) {
    String ext = extension(file);
    return format == RawDataset.Format.CSV ? ext.equals("csv") : List.of("jsonl", "json", "ndjson").contains(ext);
  }

  private static String extension(InputFile file) {
    String name = file.relativePath().substring(file.relativePath().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.endsWith(".gz") ? extension(name.substring(0, name.length() - 3)) : name.contains(".")
        ? name.substring(name.lastIndexOf('.') + 1) : "(no extension)";
  }

  private static String extension(String name) {
    return name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "(no extension)";
  }
}
