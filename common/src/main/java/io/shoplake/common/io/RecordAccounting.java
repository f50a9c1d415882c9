package io.shoplake.common.io;

import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.lake.InputFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The invariant that rows read are counted from the input itself, not only from what the reader
 * returned: per file, the rows the reader produced (valid + rejected + skipped) must equal the records
 * the file check counted in the file ({@link InputFile#records}). A reader that splits a record in two,
 * reads two objects as one or drops a line would otherwise go unnoticed, because the run's own totals
 * still balance. Costs nothing: the per-file counts come from the aggregation the job does anyway.
 */
public final class RecordAccounting {
  private RecordAccounting() {}

  /**
   * @param what the input, for the message ("transactions", "FX rates")
   * @param files the files read, with their counted records ({@link InputFile#UNCOUNTED} ones are not checked)
   * @param rowsByFile rows produced per {@code source_file} (relative path)
   * @throws DataCheckFailure naming every file whose counts differ
   */
  public static void verify(String what, List<InputFile> files, Map<String, Long> rowsByFile) {
    List<String> differences = new ArrayList<>();
    for (InputFile file : files) {
      if (file.records() == InputFile.UNCOUNTED) {
        continue;
      }
      long produced = rowsByFile.getOrDefault(file.relativePath(), 0L);
      if (produced != file.records()) {
        differences.add(file.relativePath() + " holds " + file.records() + " record(s) but the reader produced "
            + produced + " row(s)");
      }
    }
    if (!differences.isEmpty()) {
      throw new DataCheckFailure("Cannot account for every record of the " + what + " read: "
          + String.join("; ", differences) + " (nothing was committed; the file quarantine takes such a file"
          + " if it is moved aside, or report the file: it reads differently from how it was counted)", null);
    }
  }
}
