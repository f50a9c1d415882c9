package io.shoplake.common.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
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
    return listing(hadoopConf, path).map(DatasetSignature::signature).orElse("absent");
  }

  /**
   * The signature of the files under {@code path} ({@link #of}) and, from the same listing, that of each
   * folder {@code depth} levels down ({@code year=2025/month=1/day=2} for a day-partitioned dataset and
   * depth 3; depth 0: the whole dataset, under {@code ""}). A file less deep than {@code depth} counts
   * under its own folder. Empty folders have no signature; a missing dataset has {@code "absent"} and no
   * folders.
   */
  public static Folders ofEachFolder(Configuration hadoopConf, String path, int depth) {
    Optional<TreeMap<String, String>> files = listing(hadoopConf, path);
    if (files.isEmpty()) {
      return new Folders("absent", new TreeMap<>());
    }
    TreeMap<String, TreeMap<String, String>> byFolder = new TreeMap<>();
    files.get().forEach((file, version) -> byFolder.computeIfAbsent(folder(file, depth), f -> new TreeMap<>())
        .put(file, version));
    SortedMap<String, String> folders = new TreeMap<>();
    byFolder.forEach((folder, inside) -> folders.put(folder, signature(inside)));
    return new Folders(signature(files.get()), folders);
  }

  /**
   * A dataset's signature and its folders' ({@link #ofEachFolder}).
   *
   * @param whole the signature of every file, as {@link #of} gives it
   * @param folders folder (relative, without a leading slash) to the signature of the files under it
   */
  public record Folders(String whole, SortedMap<String, String> folders) {}

  /** The first {@code depth} folders of a file's relative path ({@code /year=2025/month=1/day=2/part-0.parquet}). */
  private static String folder(String file, int depth) {
    String[] parts = file.replaceFirst("^/", "").split("/");
    int folders = Math.min(depth, parts.length - 1);
    return String.join("/", Arrays.copyOfRange(parts, 0, folders));
  }

  /** Relative path to {@code size:modification time} of each data file under {@code path}; empty when it does not exist. */
  private static Optional<TreeMap<String, String>> listing(Configuration hadoopConf, String path) {
    Path root = new Path(path);
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      if (!fs.exists(root)) {
        return Optional.empty();
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
      return Optional.of(files);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  private static String signature(SortedMap<String, String> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      files.forEach((p, v) -> sha.update((p + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return files.size() + ":" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: this JVM has no SHA-256", e);
    }
  }
}
