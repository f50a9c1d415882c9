package io.shoplake.common.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A fingerprint of a dataset's files (path, size, modification time of each data file, hashed), so a
 * job can tell whether a dataset another job writes has changed since it last read it without reading
 * a row. Any rewrite changes it, also one with the same rows: it errs towards redoing work, never
 * towards missing a change. Cost: one recursive listing.
 */
public final class DatasetSignature {
  private DatasetSignature() {}

  /** The signature of the files under {@code path}, or {@code "absent"} when it does not exist. */
  public static String of(Configuration hadoopConf, String path) {
    Path root = new Path(path);
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      if (!fs.exists(root)) {
        return "absent";
      }
      TreeMap<String, String> files = new TreeMap<>();
      String prefix = fs.makeQualified(root).toString();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus file = it.next();
        String name = file.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        files.put(file.getPath().toString().substring(Math.min(prefix.length(), file.getPath().toString().length())),
            file.getLen() + ":" + file.getModificationTime());
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      files.forEach((p, v) -> sha.update((p + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return files.size() + ":" + HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: this JVM has no SHA-256", e);
    }
  }
}
