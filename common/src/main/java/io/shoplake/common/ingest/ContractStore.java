package io.shoplake.common.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.state.JsonState;
import io.shoplake.common.state.StateCommit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The recorded contracts of an ingested dataset under {@code <lake>/_schemas/<dataset>/}: one document per
 * version ({@code v0001.json}, never rewritten) and {@code files.json}, the verdict on each file whose
 * sample was checked (by content hash, so a replaced file is checked again). Read and written through
 * Hadoop's FileSystem; writes are {@link StateCommit}s, made by the runner once the run's outputs are in.
 */
public final class ContractStore {
  private final String dir;
  private final Configuration hadoopConf;

  /**
   * The verdict on one checked file.
   *
   * @param sha256 the content the verdict is for
   * @param accepted false when the file was quarantined for its schema
   * @param detail why it was not accepted, or the version it was read with
   */
  public record CheckedFile(String sha256, boolean accepted, String detail) {}

  public ContractStore(String lakeRoot, String dataset, Configuration hadoopConf) {
    this.dir = lakeRoot + "/_schemas/" + dataset;
    this.hadoopConf = hadoopConf;
  }

  public String dir() {
    return dir;
  }

  /** Every recorded version, oldest first. One listing and one read per version. */
  public List<SchemaContract> versions() {
    Path folder = new Path(dir);
    List<SchemaContract> versions = new ArrayList<>();
    try {
      FileStatus[] listed;
      try {
        listed = folder.getFileSystem(hadoopConf).listStatus(folder);
      } catch (FileNotFoundException e) {
        return versions;
      }
      for (FileStatus status : listed) {
        String name = status.getPath().getName();
        if (name.matches("v[0-9]{4,}\\.json")) {
          new JsonState(status.getPath().toString(), hadoopConf).read(new TypeReference<SchemaContract>() {})
              .ifPresent(versions::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the contracts in " + dir + ": " + e.getMessage(), e);
    }
    versions.sort(Comparator.comparingInt(SchemaContract::version));
    return versions;
  }

  public Optional<SchemaContract> latest() {
    List<SchemaContract> versions = versions();
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** The verdicts on the files checked so far, by path under the lake root. */
  public Map<String, CheckedFile> checkedFiles() {
    return files().read(new TypeReference<TreeMap<String, CheckedFile>>() {}).map(m -> (Map<String, CheckedFile>) m)
        .orElseGet(TreeMap::new);
  }

  /** Records {@code contract} as its version. */
  public StateCommit record(SchemaContract contract) {
    return StateCommit.json(new JsonState(dir + "/v" + String.format("%04d", contract.version()) + ".json", hadoopConf),
        contract);
  }

  /** Replaces the file verdicts with {@code checked}. */
  public StateCommit recordFiles(Map<String, CheckedFile> checked) {
    return StateCommit.json(files(), new TreeMap<>(checked));
  }

  private JsonState files() {
    return new JsonState(dir + "/files.json", hadoopConf);
  }
}
