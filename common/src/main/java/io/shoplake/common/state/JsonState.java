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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One JSON state document of a job under {@code _state/<job>/}, read and written through Hadoop's
 * FileSystem (local, s3, s3a). A write goes to a temporary name and is renamed into place, so a
 * reader sees the old state or the new one; a job commits its state only after its output is
 * written, so a failed run leaves the previous state and a rerun redoes the same work.
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
      if (!fs.exists(path)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(path)) {
        return Optional.of(JSON.readValue(in, type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read state " + path + ": " + e.getMessage()
          + " (delete the file to rebuild from scratch)", e);
    }
  }

  public void write(Object state) {
    Path temp = new Path(path.getParent(), "._" + path.getName() + ".tmp");
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(temp, true)) {
        JSON.writeValue(out, state);
      }
      fs.delete(path, false);
      if (!fs.rename(temp, path)) {
        throw new IOException("rename of " + temp + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write state " + path + ": " + e.getMessage(), e);
    }
  }

  public String path() {
    return path.toString();
  }
}
