package io.shoplake.common.bookmark;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.state.JsonState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * A job's memory of the raw files it has processed, in {@code _state/<job>/bookmark.json}: portable
 * (a JSON file next to the lake, on any Hadoop file system) where Glue's job bookmarks work only on
 * Glue and only for DynamicFrames.
 *
 * <p>A file counts as processed when a committed run read it with the same path, size and modification
 * time; or, if its size or time changed, with the same content hash (the SHA-256 of the file check
 * every listed file goes through, {@link InputFile#sha256}), so a file touched without change is not read
 * again, also by a job run on its own, while a file rewritten with the same timestamp but another size is. Files that changed are read again: the jobs replace the rows of a file
 * they read again, never add them twice.
 *
 * <p>The document keeps one entry per committed run (its files and the signatures of its other
 * inputs), so a rewind to a run id drops the later entries. Nothing is written until {@link #commit},
 * which the runner calls after the job's output is written; a failed run leaves the document as it was.
 */
public final class FileBookmark {
  public static final String FILE = "bookmark.json";

  /**
   * @param sizeBytes size when read
   * @param modifiedAt modification time when read, epoch milliseconds
   * @param sha256 content hash from the file check, or null when the file was not hashed (too large)
   */
  public record FileEntry(long sizeBytes, long modifiedAt, String sha256) {}

  /**
   * @param runId the run that committed
   * @param committedAt when
   * @param files the files that run read for the first time (or again, changed)
   * @param dependencies signatures of other inputs at that run (e.g. processed/transactions for products)
   */
  public record RunEntry(String runId, String committedAt, SortedMap<String, FileEntry> files,
      SortedMap<String, String> dependencies) {}

  private final JsonState state;
  private final BookmarkOption option;
  private final List<RunEntry> runs;
  private final SortedMap<String, FileEntry> processed = new TreeMap<>();
  private final SortedMap<String, String> dependencies = new TreeMap<>();
  private final SortedMap<String, String> newDependencies = new TreeMap<>();
  private final boolean rewound;
  private long skipped;
  private String heldBecause;

  private FileBookmark(JsonState state, BookmarkOption option, List<RunEntry> runs, boolean rewound) {
    this.state = state;
    this.rewound = rewound;
    this.option = option;
    this.runs = runs;
    runs.forEach(r -> {
      processed.putAll(r.files());
      dependencies.putAll(r.dependencies());
    });
  }

  /**
   * The bookmark of {@code job}, after the reset or rewind the arguments ask for (in memory: the
   * document changes only at commit).
   *
   * @throws UsageException when the run id to rewind to is not in the bookmark
   */
  public static FileBookmark open(String job, LakePaths paths, Configuration hadoopConf, BookmarkOption option,
      Optional<String> rewindTo) {
    JsonState state = new JsonState(paths.state(job) + "/" + FILE, hadoopConf);
    List<RunEntry> runs = option == BookmarkOption.RESET ? new ArrayList<>()
        : new ArrayList<>(state.read(new TypeReference<List<RunEntry>>() {}).orElseGet(List::of));
    boolean rewound = false;
    if (rewindTo.isPresent()) {
      int at = -1;
      for (int i = 0; i < runs.size(); i++) {
        if (runs.get(i).runId().equals(rewindTo.get())) {
          at = i;
        }
      }
      if (at < 0) {
        throw new UsageException("Cannot rewind the bookmark of " + job + " to run " + rewindTo.get()
            + ": no such committed run (the last ones: "
            + runs.stream().skip(Math.max(0, runs.size() - 5)).map(RunEntry::runId).toList() + ")");
      }
      rewound = at < runs.size() - 1;
      runs = new ArrayList<>(runs.subList(0, at + 1));
    }
    return new FileBookmark(state, option, runs, rewound);
  }

  public BookmarkOption option() {
    return option;
  }

  /** The files of {@code files} this run should read: those not processed before (all when disabled). */
  public List<InputFile> select(List<InputFile> files) {
    if (!option.skipsProcessedFiles()) {
      return files;
    }
    List<InputFile> selected = new ArrayList<>();
    for (InputFile file : files) {
      if (isProcessed(file)) {
        skipped++;
      } else {
        selected.add(file);
      }
    }
    return selected;
  }

  /**
   * For jobs that rebuild their dataset from every file (a dimension, sessions): true when at least one
   * of {@code files} was not processed before (always when disabled), so there is something to rebuild.
   */
  public boolean anyUnprocessed(List<InputFile> files) {
    return !select(files).isEmpty();
  }

  /** The warning of a run that found nothing new and wrote nothing. */
  public static String nothingNew(String what) {
    return "no new or changed " + what + " since the last committed run (bookmark): nothing to do";
  }

  private boolean isProcessed(InputFile file) {
    FileEntry entry = processed.get(file.relativePath());
    if (entry == null) {
      return false;
    }
    if (entry.sizeBytes() == file.sizeBytes() && entry.modifiedAt() == file.modifiedAt()) {
      return true;
    }
    return entry.sha256() != null && entry.sha256().equals(file.sha256());
  }

  /**
   * True when the input {@code name} (not a raw file: a dataset another job writes) has another
   * signature than at the last committed run; the new signature is committed with this run.
   */
  public boolean dependencyChanged(String name, String signature) {
    newDependencies.put(name, signature);
    return !option.skipsProcessedFiles() || !signature.equals(dependencies.get(name));
  }

  /**
   * Keeps this run from committing (as with pause), because its output does not cover everything it
   * read; {@code why} goes into the manifest.
   */
  public void holdCommit(String why) {
    heldBecause = why;
  }

  /** Files left out by {@link #select} because they were processed before. */
  public long skippedFiles() {
    return skipped;
  }

  /** What the manifest says of the bookmark. */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("option", option.name().toLowerCase(java.util.Locale.ROOT));
    d.put("files_skipped_as_processed", skipped);
    d.put("committed_runs", runs.size());
    if (heldBecause != null) {
      d.put("not_committed", heldBecause);
    }
    return d;
  }

  /**
   * Remembers {@code read} (the raw files the run read) as processed, with the run id, when the option
   * commits; a run that read nothing and whose dependencies did not change writes nothing.
   */
  public void commit(String runId, List<InputFile> read) {
    if (!option.commits() || heldBecause != null) {
      return;
    }
    SortedMap<String, FileEntry> files = new TreeMap<>();
    for (InputFile file : read) {
      if (file.relativePath().startsWith("raw/")) {
        files.put(file.relativePath(), new FileEntry(file.sizeBytes(), file.modifiedAt(), file.sha256()));
      }
    }
    files.entrySet().removeIf(e -> e.getValue().equals(processed.get(e.getKey())));
    SortedMap<String, String> changedDependencies = new TreeMap<>(newDependencies);
    changedDependencies.entrySet().removeIf(e -> e.getValue().equals(dependencies.get(e.getKey())));
    boolean rewritten = option == BookmarkOption.RESET || rewound;
    if (files.isEmpty() && changedDependencies.isEmpty() && !rewritten) {
      return;
    }
    List<RunEntry> next = new ArrayList<>(runs);
    next.add(new RunEntry(runId, Instant.now().toString(), files, changedDependencies));
    state.write(next);
  }
}
