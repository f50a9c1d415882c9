package io.shoplake.common.quality;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.state.JsonState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The quality records of one dataset, one file per run under {@code _dq/<dataset>/} (a new file per run,
 * never a rewrite of a shared one, so two quality runs on different datasets cannot lose each other's
 * history). Names start with the time of the check, so name order is time order. Cost: one listing and
 * as many small reads as records asked for.
 */
public final class QualityHistory {
  private static final TypeReference<QualityRecord> TYPE = new TypeReference<>() {};

  private final String dir;
  private final Configuration hadoopConf;

  public QualityHistory(String lakeRoot, String dataset, Configuration hadoopConf) {
    this.dir = lakeRoot + "/_dq/" + dataset;
    this.hadoopConf = hadoopConf;
  }

  public String dir() {
    return dir;
  }

  /** The last {@code n} records, oldest first. */
  public List<QualityRecord> recent(int n) {
    List<String> names = names();
    List<QualityRecord> records = new ArrayList<>();
    for (String name : names.subList(Math.max(0, names.size() - n), names.size())) {
      new JsonState(dir + "/" + name, hadoopConf).read(TYPE).ifPresent(records::add);
    }
    return records;
  }

  public Optional<QualityRecord> latest() {
    List<QualityRecord> last = recent(1);
    return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
  }

  /**
   * Writes {@code record} as {@code <checked-at, to the millisecond>-<run-id>.json}: run ids start with
   * their start second only, and two quality runs can start in the same second.
   */
  public void write(QualityRecord record) {
    String time = FILE_TIME.format(java.time.Instant.parse(record.checkedAt()));
    new JsonState(dir + "/" + time + "-" + record.runId() + ".json", hadoopConf).write(record);
  }

  private static final java.time.format.DateTimeFormatter FILE_TIME = java.time.format.DateTimeFormatter
      .ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private List<String> names() {
    Path path = new Path(dir);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (!fs.exists(path)) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (FileStatus status : fs.listStatus(path)) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(".json") && !name.startsWith(".") && !name.startsWith("_")) {
          names.add(name);
        }
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
