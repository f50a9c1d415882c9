package io.shoplake.common.validation;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.state.JsonState;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The validator's verdict on every raw file it has checked, in {@code _state/validate/files.json}: the
 * jobs skip the files it rejected, and it checks again only files that are new or changed (another size
 * or modification time). It is also the index of content hashes by which a file delivered again under
 * another name is recognised. One document for the lake: read whole, written whole after the run's
 * quarantine records (a few hundred bytes per file).
 */
public final class FileRegistry {
  public static final String JOB = "validate";
  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";
  /**
   * The version of the file checks, kept with each verdict. Raised when a change of the checks can accept a
   * file an older version rejected (2: compressed files read, header names of any letter case, a name with ':'
   * refused instead of crashing the run): a file rejected by an older version is checked again by the next run
   * that meets it, with nothing to do by hand. Accepted verdicts stand.
   */
  public static final int CHECKS = 2;

  /**
   * @param dataset raw dataset
   * @param sizeBytes size when checked
   * @param modifiedAt modification time when checked, epoch milliseconds
   * @param sha256 content hash, or null when the file was not read (too large)
   * @param verdict {@link #ACCEPTED} or {@link #REJECTED}
   * @param reason the rule broken, or null
   * @param detail what was wrong, or null
   * @param runId the run that checked it (validate's, or a job's that read it first)
   * @param records the records the file holds (see {@link InputFile#records}), or null in entries written
   *     before counts were kept (such a file is checked again)
   * @param wholeFileRead CSV only: the file must be read whole (a quoted field holds a line break)
   * @param checks the {@link #CHECKS} version that gave the verdict, or null in entries written before it was kept
   */
  public record Entry(String dataset, long sizeBytes, long modifiedAt, String sha256, String verdict, String reason,
      String detail, String runId, Long records, Boolean wholeFileRead, Integer checks) {

    boolean describes(InputFile file) {
      return sizeBytes == file.sizeBytes() && modifiedAt == file.modifiedAt();
    }

    /**
     * True when this entry holds everything a job needs: an accepted file's record count, or a rejection by
     * the current checks.
     */
    boolean complete() {
      return ACCEPTED.equals(verdict) ? records != null : checks != null && checks >= CHECKS;
    }
  }

  private final JsonState state;
  private final SortedMap<String, Entry> files;
  private final SortedMap<String, Entry> changed = new TreeMap<>();

  private FileRegistry(JsonState state, SortedMap<String, Entry> files) {
    this.state = state;
    this.files = files;
  }

  /** The registry of the lake at {@code paths}; empty when nothing was validated yet. */
  public static FileRegistry load(LakePaths paths, Configuration hadoopConf) {
    JsonState state = new JsonState(paths.state(JOB) + "/files.json", hadoopConf);
    return new FileRegistry(state, state.read(new TypeReference<TreeMap<String, Entry>>() {}).orElseGet(TreeMap::new));
  }

  /**
   * The verdict on {@code file} as it is now (same size and modification time), if it was checked (by a
   * version of the checks that counted its records, and for a rejection, by the current one).
   */
  public Optional<Entry> verdict(InputFile file) {
    Entry entry = files.get(file.relativePath());
    return entry != null && entry.describes(file) && entry.complete() ? Optional.of(entry) : Optional.empty();
  }

  /** True when the validator rejected {@code file} as it is now. */
  public boolean isRejected(InputFile file) {
    return verdict(file).map(e -> e.verdict().equals(REJECTED)).orElse(false);
  }

  /** The path of an accepted file of {@code dataset} with this content, other than {@code path}. */
  public Optional<String> acceptedWithHash(String dataset, String sha256, String path) {
    return files.entrySet().stream()
        .filter(e -> !e.getKey().equals(path) && e.getValue().dataset().equals(dataset)
            && e.getValue().verdict().equals(ACCEPTED) && sha256.equals(e.getValue().sha256()))
        .map(java.util.Map.Entry::getKey)
        .findFirst();
  }

  public void put(String relativePath, Entry entry) {
    files.put(relativePath, entry);
    changed.put(relativePath, entry);
  }

  /**
   * The entries put since loading, as a state commit for the runner to make once the run succeeds: it
   * writes them over the registry as it is then (atomically replacing the document), so that jobs that
   * check files at about the same time keep each other's verdicts; one that is still lost to a race is
   * only checked again. Nothing is written when nothing changed.
   */
  public io.shoplake.common.state.StateCommit commit() {
    return new io.shoplake.common.state.StateCommit() {
      @Override
      public String describe() {
        return state.path();
      }

      @Override
      public void commit() {
        saveChanges();
      }
    };
  }

  private void saveChanges() {
    if (changed.isEmpty()) {
      return;
    }
    SortedMap<String, Entry> current = state.read(new TypeReference<TreeMap<String, Entry>>() {}).orElseGet(TreeMap::new);
    current.putAll(changed);
    state.write(current);
    files.putAll(current);
    changed.clear();
  }
}
