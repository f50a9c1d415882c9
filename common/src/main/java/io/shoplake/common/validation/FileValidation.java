package io.shoplake.common.validation;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

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

  /** The pipeline's first step (after the copy of stg_core, when it runs): it judges the raw files. */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(), List.of(FlowStep.STG_CORE_COPY), List.of(FlowStep.FILE_VERDICTS)));
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    // Every file, whatever its verdict: the registry decides below which ones are new.
    RawZone rawZone = new RawZone(ctx.paths(), hadoopConf, io.shoplake.common.lake.FileScreen.NONE);
    FileRegistry registry = FileRegistry.load(ctx.paths(), hadoopConf);
    List<FileChecks.Candidate> candidates = new ArrayList<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long alreadyChecked = 0;
    List<String> absent = new ArrayList<>();
    List<RawFormat> formats = RawFormat.all(ctx.config());
    for (RawFormat format : formats) {
      if (!rawZone.exists(format.dataset())) {
        absent.add(format.dataset());
        continue;
      }
      for (InputFile file : rawZone.listAll(format.dataset(), ctx.args().runDate())) {
        if (registry.verdict(file).isPresent()) {
          alreadyChecked++;
        } else {
          candidates.add(new FileChecks.Candidate(file, format));
        }
      }
    }
    metrics.put("files_already_checked", alreadyChecked);
    warnings.addAll(rawZone.misplacedWarnings());
    if (!absent.isEmpty()) {
      // Not an error here (a dataset may not have arrived yet), but the jobs of these datasets will fail on it,
      // and all of them missing is most often a wrong --lake-root.
      warnings.add("no raw folder for " + String.join(", ", absent) + " under " + ctx.paths().root() + "/raw"
          + (absent.size() == formats.size() ? " (none at all: is the lake root right?)" : ""));
    }
    if (candidates.isEmpty()) {
      warnings.add("no new or changed raw files to check");
      return new JobResult(List.of(), 0, 0, Map.of(), List.of(), outputs(ctx), metrics, warnings);
    }

    ctx.stage("check " + candidates.size() + " new or changed raw file(s)");
    Map<String, Long> rejectedByReason = new TreeMap<>();
    Map<String, Map<String, Long>> byDataset = new TreeMap<>();
    long accepted = 0;
    for (FileChecks.Verdict verdict : FileChecks.check(ctx.spark(), ctx.config(), ctx.paths(), registry, candidates,
        ctx.runId())) {
      InputFile file = verdict.candidate().file();
      byDataset.computeIfAbsent(verdict.candidate().format().dataset(), d -> new TreeMap<>())
          .merge(verdict.accepted() ? FileRegistry.ACCEPTED : FileRegistry.REJECTED, 1L, Long::sum);
      if (verdict.accepted()) {
        accepted++;
        if (!verdict.inspection().extraColumns().isEmpty()) {
          warnings.add(file.relativePath() + ": extra columns " + CsvHeaders.quoted(verdict.inspection().extraColumns())
              + " (not read)");
        }
      } else {
        rejectedByReason.merge(verdict.reason(), 1L, Long::sum);
        warnings.add("rejected " + file.relativePath() + ": " + verdict.reason() + " (" + verdict.detail() + ")");
      }
    }
    metrics.put("files_by_dataset", byDataset);
    // Committed by the runner after the quarantine records: a run that fails first checks the files again.
    return new JobResult(candidates.stream().map(FileChecks.Candidate::file).toList(), candidates.size(), accepted,
        rejectedByReason, List.of(), outputs(ctx), metrics, warnings).withState(List.of(registry.commit()));
  }

  private static Map<String, String> outputs(JobContext ctx) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("file_quarantine", ctx.paths().root() + "/quarantine/_files");
    outputs.put("registry", ctx.paths().state(NAME) + "/files.json");
    return outputs;
  }

}
