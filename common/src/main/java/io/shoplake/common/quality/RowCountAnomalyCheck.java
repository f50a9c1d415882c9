package io.shoplake.common.quality;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * The row count is not far from the mean of the last {@code runs} quality runs on the dataset (kept in
 * {@code _dq/<dataset>/}): below the mean by more than {@code maxDrop} (0.5 = half) fails, and above it
 * by more than {@code maxRise} when set. With fewer than {@code minRuns} earlier runs it passes and
 * says so: there is nothing to compare with yet.
 */
record RowCountAnomalyCheck(String name, Severity severity, int runs, int minRuns, double maxDrop, Double maxRise)
    implements QualityCheck {

  @Override
  public String kind() {
    return "row-count-anomaly";
  }

  @Override
  public int historyNeeded() {
    return runs;
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    return Map.of(Measurement.ROWS, RowCountCheck.rowCount());
  }

  @Override
  public Verdict evaluate(Measurement m) {
    List<Long> history = m.recentRowCounts();
    history = history.subList(Math.max(0, history.size() - runs), history.size());
    long rows = m.rows();
    if (history.size() < minRuns) {
      return Verdict.pass(rows + " rows; not enough history to compare (" + history.size() + " of " + minRuns
          + " earlier runs)");
    }
    double mean = history.stream().mapToLong(Long::longValue).average().orElse(0);
    double change = mean == 0 ? (rows == 0 ? 0 : Double.POSITIVE_INFINITY) : (rows - mean) / mean;
    String words = String.format(Locale.ROOT, "%d rows, %+.1f%% against the mean %.1f of the last %d runs", rows,
        change * 100, mean, history.size());
    if (change < -maxDrop) {
      return Verdict.fail(words + String.format(Locale.ROOT, " (limit: a drop of %.0f%%)", maxDrop * 100));
    }
    if (maxRise != null && change > maxRise) {
      return Verdict.fail(words + String.format(Locale.ROOT, " (limit: a rise of %.0f%%)", maxRise * 100));
    }
    return Verdict.pass(words);
  }
}
