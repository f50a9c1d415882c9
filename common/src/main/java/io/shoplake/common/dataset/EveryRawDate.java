package io.shoplake.common.dataset;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The input of a job that rebuilds its datasets from every raw date (reviews, products, ingest): the
 * screened files of each of its raw folders and the warnings to report. Such a job has work only when
 * its bookmark has not seen one of the files; a {@code --run-date} is reported as ignored.
 */
public final class EveryRawDate {
  private final JobContext ctx;
  private final RawZone zone;
  private final List<String> warnings = new ArrayList<>();
  private final List<InputFile> all = new ArrayList<>();

  public EveryRawDate(JobContext ctx, RawZone zone) {
    this.ctx = ctx;
    this.zone = zone;
    ctx.args().runDate().ifPresent(d -> warnings.add(
        "--run-date " + d + " ignored: " + ctx.jobName() + " rebuilds its dataset from every raw date"));
  }

  /** The files of {@code raw/<folder>/date=*}, screened; fails with a one-line cause when the folder is missing. */
  public List<InputFile> files(String folder) {
    List<InputFile> files = zone.requireDataset(folder).list(folder, Optional.empty());
    all.addAll(files);
    return files;
  }

  /** True when every file listed so far is in the bookmark (and there was at least one). */
  public boolean nothingNew() {
    return !all.isEmpty() && !ctx.bookmark().anyUnprocessed(all);
  }

  /** The warning that says a run found nothing new in {@code what}. */
  public String nothingNewWarning(String what) {
    return FileBookmark.nothingNew(what);
  }

  /** Every file listed, for the job's result. */
  public List<InputFile> all() {
    return List.copyOf(all);
  }

  /** The file checks' warnings (files left out) and this input's own, in order; a mutable copy. */
  public List<String> warnings() {
    List<String> out = new ArrayList<>(zone.validationWarnings());
    out.addAll(warnings);
    return out;
  }
}
