package io.shoplake.common.dataset;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * How a dataset keeps one row per key: which row of a key wins, and what the others are.
 *
 * @param key the column that identifies a row
 * @param preference orders the rows of one key, most preferred first; {@link Staging} adds a content
 *     hash as the last tie-break, so equal keys never tie
 * @param hashOfRawFields hash the fields as read ({@code _raw}) rather than the typed fields, for a
 *     dataset with a typed column Spark cannot hash (a map)
 * @param losers what the rows that lose are
 */
public record Dedup(String key, List<Column> preference, boolean hashOfRawFields, Losers losers) {
  /** The rows of a key that are not kept. */
  public enum Losers {
    /** Quarantined with reason {@code duplicate}: a repeated delivery of an event is an error. */
    QUARANTINED,
    /**
     * Skipped as {@code older_version}: a dimension delivers new versions of a row, and an older one is
     * no error.
     */
    SKIPPED_AS_OLDER_VERSION
  }

  public Dedup {
    preference = List.copyOf(preference);
  }

  public static Dedup quarantining(String key, Column... preference) {
    return new Dedup(key, List.of(preference), false, Losers.QUARANTINED);
  }

  public static Dedup keepingLatest(String key, Column... preference) {
    return new Dedup(key, List.of(preference), false, Losers.SKIPPED_AS_OLDER_VERSION);
  }

  /** This key, with the content hash taken over the fields as read. */
  public Dedup hashingRawFields() {
    return new Dedup(key, preference, true, losers);
  }
}
