package io.shoplake.common.validation;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.io.SerializableHadoopConf;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The file checks, one implementation for the validate step and for every job that reads raw files
 * ({@link RegistryScreen}): each file is inspected ({@link FileInspector}), a file whose content was
 * already accepted under another name is rejected as {@code duplicate_content}, a rejected file is
 * recorded in {@code quarantine/_files/} ({@link FileQuarantine}), and every verdict goes into the
 * registry (saved by the caller).
 *
 * <p>Cost: one sequential read of each file, in parallel (one Spark task per file; an oversized file is
 * not read), and a copy of each rejected file.
 */
public final class FileChecks {
  private FileChecks() {}

  /** A file to check, with the format its dataset must have. */
  public record Candidate(InputFile file, RawFormat format) implements Serializable {}

  /**
   * What the checks decided about one file.
   *
   * @param reason the rule broken, or null when accepted
   * @param detail what was wrong, or null
   */
  public record Verdict(Candidate candidate, FileInspection inspection, String reason, String detail) {
    public boolean accepted() {
      return reason == null;
    }

    /** The file with its record count, for the reader. */
    public InputFile checkedFile() {
      return candidate.file().checked(inspection.records(), inspection.wholeFileRead(), inspection.sha256());
    }
  }

  /** Checks {@code candidates} in path order (so of two new files with the same content the first is kept). */
  public static List<Verdict> check(SparkSession spark, LakeConfig config, LakePaths paths, FileRegistry registry,
      List<Candidate> candidates, String runId) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    FileInspector inspector = new FileInspector(new SerializableHadoopConf(hadoopConf),
        config.validate().maxFileBytes(), config.validate().maxMalformedLineRatio());
    int tasks = Math.min(candidates.size(), Math.max(1, spark.sparkContext().defaultParallelism() * 4));
    List<FileInspection> inspections = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(candidates, tasks)
        .map(c -> inspector.inspect(c.file().path(), c.format()))
        .collect();

    List<Verdict> verdicts = new ArrayList<>();
    Map<String, String> acceptedThisRun = new HashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      InputFile file = candidate.file();
      String dataset = candidate.format().dataset();
      FileInspection inspection = inspections.get(i);
      String reason = inspection.reason();
      String detail = inspection.detail();
      if (reason == null) {
        String hashKey = dataset + "/" + inspection.sha256();
        Optional<String> original = registry.acceptedWithHash(dataset, inspection.sha256(), file.relativePath())
            .or(() -> Optional.ofNullable(acceptedThisRun.get(hashKey)));
        if (original.isPresent()) {
          reason = "duplicate_content";
          detail = "same content (SHA-256 " + inspection.sha256() + ") as " + original.get();
        } else {
          acceptedThisRun.put(hashKey, file.relativePath());
        }
      }
      if (reason != null) {
        FileQuarantine.record(paths, dataset, file, inspection, reason, detail, runId, hadoopConf);
      }
      String verdict = reason == null ? FileRegistry.ACCEPTED : FileRegistry.REJECTED;
      registry.put(file.relativePath(), new FileRegistry.Entry(dataset, file.sizeBytes(), file.modifiedAt(),
          inspection.sha256(), verdict, reason, detail, runId, inspection.records(), inspection.wholeFileRead(),
          FileRegistry.CHECKS));
      verdicts.add(new Verdict(candidate, inspection, reason, detail));
    }
    return verdicts;
  }
}
