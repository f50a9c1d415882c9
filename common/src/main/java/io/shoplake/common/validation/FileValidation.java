package io.shoplake.common.validation;

import io.shoplake.common.io.SerializableHadoopConf;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code validate} job, first step of the pipeline: checks every raw file that is new or changed
 * since it was last checked against its dataset's file-level rules ({@link FileInspector}), and rejects
 * a file whose content (SHA-256) was already accepted under another name ({@code duplicate_content}).
 * A rejected file is recorded in {@code quarantine/_files/<dataset>/} ({@link FileQuarantine}) and in
 * the registry ({@link FileRegistry}), which the jobs consult so they never read it; the others go on.
 * A rejected file is not a failure of the run: the manifest and the pipeline summary count it.
 *
 * <p>Counts are files, not rows: read = files checked, written = accepted, rejected by reason.
 * {@code --run-date D} checks only the files of {@code date=D}.
 *
 * <p>Cost: one LIST per date folder, one sequential read of each new file (in parallel, one Spark task
 * per file; an oversized file is not read); files already checked cost nothing.
 */
public final class FileValidation implements LakeJob {
  public static final String NAME = FileRegistry.JOB;

  @Override
  public String name() {
    return NAME;
  }

  /** Its registry ({@code _state/validate/files.json}) is its record of the files it checked. */
  @Override
  public boolean keepsBookmark() {
    return false;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    RawZone rawZone = new RawZone(ctx.paths(), hadoopConf);
    FileRegistry registry = FileRegistry.load(ctx.paths(), hadoopConf);
    List<Candidate> candidates = new ArrayList<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long alreadyChecked = 0;
    for (RawFormat format : RawFormat.all(ctx.config())) {
      if (!rawZone.exists(format.dataset())) {
        continue;
      }
      for (InputFile file : rawZone.listAll(format.dataset(), ctx.args().runDate())) {
        if (registry.verdict(file).isPresent()) {
          alreadyChecked++;
        } else {
          candidates.add(new Candidate(file, format));
        }
      }
    }
    metrics.put("files_already_checked", alreadyChecked);
    if (candidates.isEmpty()) {
      warnings.add("no new or changed raw files to check");
      return new JobResult(List.of(), 0, 0, Map.of(), List.of(), outputs(ctx), metrics, warnings);
    }

    ctx.stage("check " + candidates.size() + " new or changed raw file(s)");
    FileInspector inspector = new FileInspector(new SerializableHadoopConf(hadoopConf),
        ctx.config().validate().maxFileBytes(), ctx.config().validate().maxMalformedLineRatio());
    List<FileInspection> inspections = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext())
        .parallelize(candidates, Math.min(candidates.size(), Math.max(1, ctx.spark().sparkContext().defaultParallelism() * 4)))
        .map(c -> inspector.inspect(c.file().path(), c.format()))
        .collect();

    // Verdicts in path order, so that of two new files with the same content the first is kept.
    Map<String, Long> rejectedByReason = new TreeMap<>();
    Map<String, Map<String, Long>> byDataset = new TreeMap<>();
    Map<String, String> acceptedThisRun = new HashMap<>();
    long accepted = 0;
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      InputFile file = candidate.file();
      String dataset = candidate.format().dataset();
      FileInspection inspection = inspections.get(i);
      String reason = inspection.reason();
      String detail = inspection.detail();
      if (reason == null) {
        String hashKey = dataset + "/" + inspection.sha256();
        Optional<String> original = registry.acceptedWithHash(dataset, inspection.sha256(), file.relativePath())
            .or(() -> Optional.ofNullable(acceptedThisRun.get(hashKey)));
        if (original.isPresent()) {
          reason = "duplicate_content";
          detail = "same content (SHA-256 " + inspection.sha256() + ") as " + original.get();
        } else {
          acceptedThisRun.put(hashKey, file.relativePath());
        }
      }
      String verdict = reason == null ? FileRegistry.ACCEPTED : FileRegistry.REJECTED;
      byDataset.computeIfAbsent(dataset, d -> new TreeMap<>()).merge(verdict, 1L, Long::sum);
      if (reason == null) {
        accepted++;
        if (!inspection.extraColumns().isEmpty()) {
          warnings.add(file.relativePath() + ": extra columns " + inspection.extraColumns() + " (not read)");
        }
      } else {
        rejectedByReason.merge(reason, 1L, Long::sum);
        FileQuarantine.record(ctx.paths(), dataset, file, inspection, reason, detail, ctx.runId(), hadoopConf);
        warnings.add("rejected " + file.relativePath() + ": " + reason + " (" + detail + ")");
      }
      registry.put(file.relativePath(), new FileRegistry.Entry(dataset, file.sizeBytes(), file.modifiedAt(),
          inspection.sha256(), verdict, reason, detail, ctx.runId()));
    }
    // After the quarantine records: a run that fails before this line checks the same files again.
    registry.save();
    metrics.put("files_by_dataset", byDataset);
    return new JobResult(candidates.stream().map(Candidate::file).toList(), candidates.size(), accepted,
        rejectedByReason, List.of(), outputs(ctx), metrics, warnings);
  }

  private static Map<String, String> outputs(JobContext ctx) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("file_quarantine", ctx.paths().root() + "/quarantine/_files");
    outputs.put("registry", ctx.paths().state(NAME) + "/files.json");
    return outputs;
  }

  private record Candidate(InputFile file, RawFormat format) implements Serializable {}
}
