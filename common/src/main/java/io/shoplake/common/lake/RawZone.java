package io.shoplake.common.lake;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * {@code .}) are skipped (empty files are kept: they read as no rows). Anything else that is not a file in a
 * {@code date=YYYY-MM-DD} folder (a file dropped in {@code raw/<dataset>/} itself, a folder named
 * {@code date=2025-3-2} or {@code 2025-03-02}, a folder inside a date folder) is not read, and said so in
 * {@link #validationWarnings()}: a misplaced export must not vanish without a word.
 *
 * <p>{@link #list} hands each listing to the {@link FileScreen} the zone was made with, which leaves out
 * the files that fail the file checks (and says why in {@link #validationWarnings()}); a job's zone
 * screens with validate's registry, so a file is checked once, by whichever comes first.
 */
public final class RawZone {
  private final LakePaths paths;
  private final Configuration hadoopConf;
  private final FileScreen screen;
  private final Set<String> misplaced = new LinkedHashSet<>();

  public RawZone(LakePaths paths, Configuration hadoopConf, FileScreen screen) {
    this.paths = paths;
    this.hadoopConf = hadoopConf;
    this.screen = screen;
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
   * The files of every date, or of {@code runDate} only, sorted by path, that pass the file checks, with
   * their record counts.
   */
  public List<InputFile> list(String dataset, Optional<LocalDate> runDate) {
    return screen.screen(dataset, listAll(dataset, runDate));
  }

  /**
   * Those of {@code relativePaths} (files of {@code dataset}, named as {@link InputFile#relativePath} names them)
   * that are still in the raw zone and pass the file checks, as {@link #list} gives them. Lists only the date
   * folders those paths are in, and checks no other file.
   */
  public List<InputFile> listOnly(String dataset, Collection<String> relativePaths) {
    String prefix = "raw/" + dataset + "/";
    Set<LocalDate> dates = new TreeSet<>();
    for (String path : relativePaths) {
      int end = path.indexOf('/', prefix.length());
      String folder = path.startsWith(prefix) && end > 0 ? path.substring(prefix.length(), end) : "";
      if (isDateFolder(folder)) {
        dates.add(LocalDate.parse(folder.substring("date=".length())));
      }
    }
    List<InputFile> found = new ArrayList<>();
    for (LocalDate date : dates) {
      listAll(dataset, Optional.of(date)).stream().filter(f -> relativePaths.contains(f.relativePath()))
          .forEach(found::add);
    }
    return found.isEmpty() ? found : screen.screen(dataset, found);
  }

  /**
   * One line per file {@link #list} left out, and per misplaced entry the listings met
   * ({@link #misplacedWarnings}), for the run manifest's warnings.
   */
  public List<String> validationWarnings() {
    List<String> warnings = new ArrayList<>(screen.warnings());
    warnings.addAll(misplaced);
    return warnings;
  }

  /** One line per entry of the raw zone that {@link #listAll} met but does not read: where it is, and why. */
  public List<String> misplacedWarnings() {
    return List.copyOf(misplaced);
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
        if (hidden(name)) {
          continue;
        }
        if (!dateDir.isDirectory() || !isDateFolder(name)) {
          misplaced.add("not read: " + LakePaths.relativeToLake(dateDir.getPath().toString())
              + (dateDir.isDirectory() ? " is not a date=YYYY-MM-DD folder" : " is not in a date=YYYY-MM-DD folder")
              + " (raw files go in raw/" + dataset + "/date=YYYY-MM-DD/)");
          continue;
        }
        String date = name.substring("date=".length());
        if (runDate.isPresent() && !runDate.get().toString().equals(date)) {
          continue;
        }
        for (FileStatus file : fs.listStatus(dateDir.getPath())) {
          String fileName = file.getPath().getName();
          if (hidden(fileName)) {
            continue;
          }
          if (!file.isFile()) {
            misplaced.add("not read: " + LakePaths.relativeToLake(file.getPath().toString()) + " is a folder"
                + " inside a date folder (raw files go directly in raw/" + dataset + "/date=YYYY-MM-DD/)");
          } else if (fileName.endsWith(COPY_IN_PROGRESS)) {
            misplaced.add("not read: " + LakePaths.relativeToLake(file.getPath().toString()) + " is a copy in"
                + " progress (hadoop fs -put's temporary name): it is read under its final name, once the copy ends;"
                + " a copy that was cut off leaves it behind, so copy the file again");
          } else {
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

  /**
   * The suffix of a file {@code hadoop fs -put} (or {@code -cp}) is still writing; renamed to its final name when
   * the copy ends. Spark's file readers skip such a file (as they skip hidden ones), so one listed as raw was
   * checked and counted but read as no rows, and the run's record check failed it on every rerun.
   */
  private static final String COPY_IN_PROGRESS = "._COPYING_";

  /** Marker and hidden entries ({@code _SUCCESS}, {@code .crc}, a Finder's {@code .DS_Store}): never data. */
  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
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
