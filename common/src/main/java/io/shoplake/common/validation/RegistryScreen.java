package io.shoplake.common.validation;

import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.FileScreen;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The file screen of a job: a file validate already judged (as it is now) is taken or left out by that
 * verdict; a file nobody checked yet (the job runs on its own, or the file arrived after validate ran) is
 * checked now with the same rules ({@link FileChecks}), quarantined if it fails and recorded in the same
 * registry, so the job goes on with the good files and a file is checked only once. One read of the
 * registry per screen; the new verdicts are committed by the runner with the job's other state, once the
 * run succeeds (a failed run checks the files again on its rerun).
 */
public final class RegistryScreen implements FileScreen {
  private final JobContext ctx;
  private final FileRegistry registry;
  private final List<RawFormat> formats;
  private final List<String> warnings = new ArrayList<>();

  private RegistryScreen(JobContext ctx, FileRegistry registry, List<RawFormat> formats) {
    this.ctx = ctx;
    this.registry = registry;
    this.formats = formats;
  }

  /** The raw zone of a job, screened by validate's rules and registry. */
  public static RawZone rawZone(JobContext ctx) {
    return rawZone(ctx, RawFormat.all(ctx.config()));
  }

  /** The raw zone of a job that reads datasets of {@code formats} (an ingested dataset is not in the config). */
  public static RawZone rawZone(JobContext ctx, List<RawFormat> formats) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    return new RawZone(ctx.paths(), hadoopConf,
        new RegistryScreen(ctx, FileRegistry.load(ctx.paths(), hadoopConf), List.copyOf(formats)));
  }

  @Override
  public List<InputFile> screen(String dataset, List<InputFile> listed) {
    RawFormat format = formats.stream().filter(f -> f.dataset().equals(dataset)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Cannot check the files of " + dataset
            + ": it is not a raw dataset of this configuration"));
    List<InputFile> accepted = new ArrayList<>();
    List<FileChecks.Candidate> unchecked = new ArrayList<>();
    for (InputFile file : listed) {
      var verdict = registry.verdict(file);
      if (verdict.isEmpty()) {
        unchecked.add(new FileChecks.Candidate(file, format));
      } else if (verdict.get().verdict().equals(FileRegistry.ACCEPTED)) {
        accepted.add(file.checked(verdict.get().records(), Boolean.TRUE.equals(verdict.get().wholeFileRead()),
            verdict.get().sha256()));
      } else {
        warnings.add("not read: " + file.relativePath() + " was rejected by the file checks ("
            + verdict.get().reason() + "; see quarantine/_files/)");
      }
    }
    if (!unchecked.isEmpty()) {
      ctx.stage("check " + unchecked.size() + " new raw file(s) of " + dataset);
      for (FileChecks.Verdict verdict : FileChecks.check(ctx.spark(), ctx.config(), ctx.paths(), registry, unchecked,
          ctx.runId())) {
        if (verdict.accepted()) {
          accepted.add(verdict.checkedFile());
        } else {
          warnings.add("not read: " + verdict.candidate().file().relativePath() + " failed the file checks ("
              + verdict.reason() + ": " + verdict.detail() + "; see quarantine/_files/)");
        }
      }
      ctx.keepOnSuccess(registry.commit());
      accepted.sort(java.util.Comparator.comparing(InputFile::path));
    }
    return accepted;
  }

  @Override
  public List<String> warnings() {
    return List.copyOf(warnings);
  }
}
