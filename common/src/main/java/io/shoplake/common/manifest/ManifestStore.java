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
}
