package io.shoplake.common.lake;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the files of a raw dataset ({@code raw/<dataset>/date=YYYY-MM-DD/<files>}) through Hadoop's
 * FileSystem, so the same code lists a local folder, S3 (Glue's s3://) or s3a://. The listing is
 * done once on the driver: it names the exact files a run reads (the manifest records them) and
 * costs one LIST per date folder.
 *
 * <p>Hidden and marker files ({@code _SUCCESS}, {@code .crc}, names starting with {@code _} or
 * {@code .}) are skipped (empty files are kept: they read as no rows); folders not named {@code date=YYYY-MM-DD} are ignored.
 *
 * <p>{@link #list} leaves out the files the validate step rejected (as they are now: a file replaced
 * since is listed again) and remembers them for {@link #validationWarnings()}; one read of
 * {@code _state/validate/files.json} per RawZone. Files never validated are listed, so a job run on
 * its own still reads them.
 */
public final class RawZone {
  private final LakePaths paths;
  private final Configuration hadoopConf;
  private io.shoplake.common.validation.FileRegistry registry;
  private final List<InputFile> rejectedByValidation = new ArrayList<>();

  public RawZone(LakePaths paths, Configuration hadoopConf) {
    this.paths = paths;
    this.hadoopConf = hadoopConf;
  }

  /** True when {@code raw/<dataset>} exists. */
  public boolean exists(String dataset) {
    Path dir = new Path(paths.raw(dataset));
    try {
      return dir.getFileSystem(hadoopConf).exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** This raw zone, after checking that {@code raw/<dataset>} exists; fails with a one-line cause otherwise. */
  public RawZone requireDataset(String dataset) {
    if (!exists(dataset)) {
      throw new IllegalArgumentException("Cannot read " + dataset + ": no folder " + paths.raw(dataset));
    }
    return this;
  }

  /**
   * The files of every date, or of {@code runDate} only, sorted by path, without those the validate
   * step rejected.
   */
  public List<InputFile> list(String dataset, Optional<LocalDate> runDate) {
    if (registry == null) {
      registry = io.shoplake.common.validation.FileRegistry.load(paths, hadoopConf);
    }
    List<InputFile> accepted = new ArrayList<>();
    for (InputFile file : listAll(dataset, runDate)) {
      if (registry.isRejected(file)) {
        rejectedByValidation.add(file);
      } else {
        accepted.add(file);
      }
    }
    return accepted;
  }

  /**
   * One line per file that {@link #list} left out because the validate step rejected it: for the
   * run manifest's warnings.
   */
  public List<String> validationWarnings() {
    return rejectedByValidation.stream()
        .map(f -> "not read: " + f.relativePath() + " was rejected by validate ("
            + registry.verdict(f).map(e -> e.reason()).orElse("?") + "; see quarantine/_files/)")
        .toList();
  }

  /** The files of every date, or of {@code runDate} only, sorted by path, whatever their validation. */
  public List<InputFile> listAll(String dataset, Optional<LocalDate> runDate) {
    Path dir = new Path(paths.raw(dataset));
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      List<InputFile> files = new ArrayList<>();
      FileStatus[] dates;
      try {
        dates = fs.listStatus(dir);
      } catch (FileNotFoundException e) {
        return List.of();
      }
      for (FileStatus dateDir : dates) {
        String name = dateDir.getPath().getName();
        if (!dateDir.isDirectory() || !isDateFolder(name)) {
          continue;
        }
        String date = name.substring("date=".length());
        if (runDate.isPresent() && !runDate.get().toString().equals(date)) {
          continue;
        }
        for (FileStatus file : fs.listStatus(dateDir.getPath())) {
          String fileName = file.getPath().getName();
          if (file.isFile() && !fileName.startsWith("_") && !fileName.startsWith(".")) {
            String uri = file.getPath().toString();
            files.add(new InputFile(uri, LakePaths.relativeToLake(uri), date, file.getLen(),
                file.getModificationTime()));
          }
        }
      }
      files.sort(Comparator.comparing(InputFile::path));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isDateFolder(String name) {
    if (!name.startsWith("date=")) {
      return false;
    }
    try {
      LocalDate.parse(name.substring("date=".length()));
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
