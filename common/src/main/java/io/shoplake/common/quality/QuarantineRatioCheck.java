package io.shoplake.common.quality;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Rows in the dataset's quarantine are at most {@code max} of all rows the job kept or rejected:
 * quarantined / (processed + quarantined), over the whole dataset (reruns replace a file's rows in both,
 * so none is counted twice). Cost: a count of the quarantine, a second, small scan.
 */
record QuarantineRatioCheck(String name, Severity severity, double max) implements QualityCheck {
  @Override
  public String kind() {
    return "quarantine-ratio";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    return Map.of(Measurement.ROWS, RowCountCheck.rowCount());
  }

  @Override
  public Map<String, Column> quarantineMetrics() {
    return Map.of(Measurement.QUARANTINE_ROWS, RowCountCheck.rowCount());
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long quarantined = m.count(Measurement.QUARANTINE_ROWS);
    long all = quarantined + m.rows();
    double ratio = all == 0 ? 0 : quarantined / (double) all;
    String words = quarantined + " of " + all + " rows in quarantine (" + CompletenessCheck.percent(ratio) + ", limit "
        + String.format(Locale.ROOT, "%s)", CompletenessCheck.percent(max));
    return ratio > max ? Verdict.fail(words) : Verdict.pass(words);
  }
}
