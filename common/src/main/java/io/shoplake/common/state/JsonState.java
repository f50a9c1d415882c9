package io.shoplake.common.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One JSON state document of a job under {@code _state/<job>/}, read and written through Hadoop's
 * FileSystem (local, s3, s3a). A write goes to a temporary name of its own and is renamed into place
 * (over the old document where the file system renames atomically onto an existing file, as local
 * disks and HDFS do; on S3, where it cannot, the old document is deleted first, and a reader that finds
 * the document missing takes the newest complete temporary one, so a run killed between the two steps
 * loses nothing). A job commits its state only after its output is written, so a failed run leaves the
 * previous state and a rerun redoes the same work.
 */
public final class JsonState {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path path;
  private final Configuration hadoopConf;

  public JsonState(String path, Configuration hadoopConf) {
    this.path = new Path(path);
    this.hadoopConf = hadoopConf;
  }

  public <T> Optional<T> read(TypeReference<T> type) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      Path source = path;
      if (!fs.exists(path)) {
        Optional<Path> orphan = newestTemporary(fs);
        if (orphan.isEmpty()) {
          return Optional.empty();
        }
        source = orphan.get(); // a write was killed between removing the old document and renaming the new
      }
      try (InputStream in = fs.open(source)) {
        return Optional.of(JSON.readValue(in, type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read state " + path + ": " + e.getMessage()
          + " (delete the file to rebuild from scratch)", e);
    }
  }

  public void write(Object state) {
    Path temp = new Path(path.getParent(), "._" + path.getName() + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(temp, true)) {
        JSON.writeValue(out, state);
      }
      if (!renamedOver(fs, temp, path)) {
        // This file system does not rename onto an existing file (S3): remove the old one first.
        fs.delete(path, false);
        if (!fs.rename(temp, path)) {
          throw new IOException("rename of " + temp + " failed");
        }
      }
      for (FileStatus stale : temporaries(fs)) {
        fs.delete(stale.getPath(), false); // left by writes that were killed before their rename
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write state " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renames {@code from} onto {@code to}; false where the file system refuses to replace an existing file,
   * whether by returning false (local, HDFS) or by throwing (s3a: "destination file exists").
   */
  private static boolean renamedOver(FileSystem fs, Path from, Path to) throws IOException {
    try {
      return fs.rename(from, to);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private FileStatus[] temporaries(FileSystem fs) throws IOException {
    FileStatus[] found = fs.globStatus(new Path(path.getParent(), "._" + path.getName() + ".*.tmp"));
    return found == null ? new FileStatus[0] : found;
  }

  /** The newest temporary document whose content parses: one a killed write completed but did not rename. */
  private Optional<Path> newestTemporary(FileSystem fs) throws IOException {
    FileStatus[] candidates = temporaries(fs);
    java.util.Arrays.sort(candidates, java.util.Comparator.comparingLong(FileStatus::getModificationTime).reversed());
    for (FileStatus candidate : candidates) {
      try (InputStream in = fs.open(candidate.getPath())) {
        com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(in);
        if (node != null && !node.isMissingNode()) {
          return Optional.of(candidate.getPath());
        }
      } catch (IOException e) {
        // half written: not a document
      }
    }
    return Optional.empty();
  }

  public String path() {
    return path.toString();
  }
}
