package io.shoplake.common.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shoplake.common.lake.LakePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes run manifests under {@code _runs/<job>/} through Hadoop's FileSystem (local, s3,
 * s3a). A write goes to a temporary name and is renamed into place, so a reader never sees half a
 * manifest on a file system with atomic rename; on S3 a single PUT is atomic already.
 */
public final class ManifestStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final LakePaths paths;
  private final Configuration hadoopConf;

  public ManifestStore(LakePaths paths, Configuration hadoopConf) {
    this.paths = paths;
    this.hadoopConf = hadoopConf;
  }

  /** Writes (or replaces) the manifest of {@code manifest.getRunId()}; returns its path. */
  public String write(RunManifest manifest) {
    Path target = new Path(paths.runManifest(manifest.getJob(), manifest.getRunId()));
    Path temp = new Path(target.getParent(), "._" + target.getName() + ".tmp");
    try {
      FileSystem fs = target.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(temp, true)) {
        JSON.writeValue(out, manifest);
      }
      fs.delete(target, false);
      if (!fs.rename(temp, target)) {
        throw new IOException("rename of " + temp + " failed");
      }
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write run manifest " + target + ": " + e.getMessage(), e);
    }
  }

  /** Reads a manifest back (used by callers that poll a run, and by tests). */
  public RunManifest read(String job, String runId) {
    Path path = new Path(paths.runManifest(job, runId));
    try (var in = path.getFileSystem(hadoopConf).open(path)) {
      return JSON.readValue((java.io.InputStream) in, RunManifest.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read run manifest " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why no dataset is at {@code location} though the job that writes it ran, or empty: its successful runs that
   * name it among their outputs wrote no rows (the last one that read any rejected or skipped them all, later ones
   * had nothing new to read), so the dataset was never created. Without this, a reader of the lake said only "no
   * dataset there" and "run the job first", of a job that had run. Cost: one LIST of {@code _runs/} and of each
   * job's folder, up to 20 manifest reads per job; for a missing dataset only.
   */
  public java.util.Optional<String> whyNeverWritten(String location) {
    String wanted = LakePaths.withoutTrailingSlash(location);
    for (String job : jobs()) {
      int runsNamingIt = 0;
      for (RunManifest run : recent(job, 20)) {
        if (!RunStatus.SUCCEEDED.label().equals(run.getStatus())
            || run.getOutputs().values().stream().map(LakePaths::withoutTrailingSlash).noneMatch(wanted::equals)) {
          continue;
        }
        runsNamingIt++;
        if (run.getRowsWritten() > 0) {
          return java.util.Optional.empty(); // it was written once: removed since, which the manifests cannot tell
        }
        if (run.getRowsRead() > 0) {
          return java.util.Optional.of("the last run of " + job + " that read rows (" + run.getRunId()
              + ") wrote none: " + run.getRowsRead() + " read, " + run.getRowsRejected() + " rejected"
              + (run.getRejectedByReason().isEmpty() ? "" : " " + run.getRejectedByReason())
              + (run.getRowsSkipped() == 0 ? "" : ", " + run.getRowsSkipped() + " skipped " + run.getSkippedByReason())
              + " (its manifest and the quarantine say why; fix or replace the raw files and rerun)");
        }
      }
      if (runsNamingIt > 0) {
        return java.util.Optional.of("the latest " + runsNamingIt + " run(s) of " + job + " read no rows: its raw"
            + " files hold none, or were all rejected by validate");
      }
    }
    return java.util.Optional.empty();
  }

  /** The jobs that have manifests under {@code _runs/}. */
  public java.util.List<String> jobs() {
    Path runs = new Path(paths.root() + "/_runs");
    try {
      FileSystem fs = runs.getFileSystem(hadoopConf);
      if (!fs.exists(runs)) {
        return java.util.List.of();
      }
      return java.util.Arrays.stream(fs.listStatus(runs)).filter(org.apache.hadoop.fs.FileStatus::isDirectory)
          .map(s -> s.getPath().getName()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + runs + ": " + e.getMessage(), e);
    }
  }

  /**
   * The most recently written manifests of {@code job}, newest first, at most {@code limit}: one LIST of
   * {@code _runs/<job>/} and one read per manifest returned. Ordered by modification time, since Glue's run
   * ids do not sort by time.
   */
  public java.util.List<RunManifest> recent(String job, int limit) {
    Path dir = new Path(paths.runs(job));
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      if (!fs.exists(dir)) {
        return java.util.List.of();
      }
      java.util.List<org.apache.hadoop.fs.FileStatus> files = new java.util.ArrayList<>(java.util.Arrays.stream(
              fs.listStatus(dir))
          .filter(s -> s.isFile() && s.getPath().getName().endsWith(".json") && !s.getPath().getName().startsWith("."))
          .toList());
      files.sort(java.util.Comparator.comparingLong(org.apache.hadoop.fs.FileStatus::getModificationTime)
          .thenComparing(s -> s.getPath().getName()).reversed());
      java.util.List<RunManifest> manifests = new java.util.ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus file : files.subList(0, Math.min(limit, files.size()))) {
        try (var in = fs.open(file.getPath())) {
          manifests.add(JSON.readValue((java.io.InputStream) in, RunManifest.class));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          // a manifest half-written by a killed run: not a record of anything
        }
      }
      return manifests;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
