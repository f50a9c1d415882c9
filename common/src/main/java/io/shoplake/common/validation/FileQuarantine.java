package io.shoplake.common.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Records a rejected raw file under {@code quarantine/_files/<dataset>/date=YYYY-MM-DD/}: a copy of
 * the file (the original in raw/ is never modified, so a corrected delivery can simply replace it) and
 * {@code <name>.reason.json} saying why. A file rejected as too large is not copied (the record names
 * the original). Rewritten, not appended, when the same file is rejected again, so reruns add nothing.
 */
public final class FileQuarantine {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FileQuarantine() {}

  /** @return the folder the file's record was written to */
  public static String record(LakePaths paths, String dataset, InputFile file, FileInspection inspection,
      String reason, String detail, String runId, Configuration hadoopConf) {
    Path folder = new Path(paths.fileQuarantine(dataset) + "/date=" + file.rawDate());
    String name = new Path(file.path()).getName();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("dataset", dataset);
    record.put("file", file.relativePath());
    record.put("raw_date", file.rawDate());
    record.put("reason", reason);
    record.put("detail", detail);
    record.put("size_bytes", file.sizeBytes());
    record.put("modified_at", file.modifiedAt());
    record.put("sha256", inspection.sha256());
    boolean copied = !"too_large".equals(reason) && !FileInspector.UNSUPPORTED_NAME.equals(reason);
    record.put("copied", copied);
    record.put("run_id", runId);
    try {
      FileSystem fs = folder.getFileSystem(hadoopConf);
      fs.mkdirs(folder);
      if (copied) {
        Path source = new Path(file.path());
        FileUtil.copy(source.getFileSystem(hadoopConf), source, fs, new Path(folder, name), false, true, hadoopConf);
      }
      // The record's own name cannot hold the ':' of an unsupported name either; its "file" field has the name.
      try (OutputStream out = fs.create(new Path(folder, name.replace(':', '_') + ".reason.json"), true)) {
        JSON.writeValue(out, record);
      }
      return folder.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot quarantine " + file.relativePath() + ": " + e.getMessage(), e);
    }
  }
}
