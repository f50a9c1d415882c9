package io.shoplake.common.quality;

import io.shoplake.common.lake.DatasetSignature;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The checks of one dataset, from {@code shoplake.quality.datasets.<name>}.
 *
 * @param name the dataset's name in config and under {@code _dq/}
 * @param path the dataset, relative to the lake root (e.g. {@code processed/transactions})
 * @param quarantine its row quarantine, relative to the lake root, if it has one
 * @param checks the checks, without those whose severity is off
 */
public record DatasetChecks(String name, String path, Optional<String> quarantine, List<QualityCheck> checks) {
  /**
   * The signature of the dataset's files and its quarantine's: what a quality record was measured on.
   * Cost: two recursive listings.
   */
  public String signature(String lakeRoot, Configuration hadoopConf) {
    return DatasetSignature.of(hadoopConf, lakeRoot + "/" + path) + " quarantine "
        + quarantine.map(q -> DatasetSignature.of(hadoopConf, lakeRoot + "/" + q)).orElse("absent");
  }
}
