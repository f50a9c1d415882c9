package io.shoplake.common.dataset;

import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Transform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * A raw dataset, declared once as data: everything {@link Staging} needs to take its files from the
 * raw zone to classified rows (valid, quarantined with a reason, or skipped), so a new dataset is a
 * new declaration, not a new copy of the read -> clean -> rules -> typed -> deduplicated chain.
 *
 * @param name the dataset's name in messages and the manifest ({@code reviews}); its raw folder is
 *     the configured one
 * @param format how its files are read
 * @param fields the contract's fields, read as strings, in this order
 * @param normalisers extra cleaning by field after the trim (upper-case codes, lower-case enums)
 * @param rules the dataset's row rules, in order, given the latest event time accepted; the reader's
 *     own (a line that is not one JSON object, a malformed CSV record) always come first
 * @param typed the declared types of the fields ({@link Typing}); a field it leaves out stays a string
 * @param derive what the dataset adds to its typed rows before the ingest columns (may be identity)
 * @param dedup its key and which row of a key wins, or empty for a dataset that keeps every valid row
 * @param dayOf the timestamp column whose UTC day partitions it ({@code year/month/day}), or empty
 */
public record RawDataset(String name, Format format, List<String> fields,
    Map<String, UnaryOperator<Column>> normalisers, Function<Instant, List<RowRule>> rules, StructType typed,
    Transform derive, Optional<Dedup> dedup, Optional<String> dayOf) {

  /** How a raw dataset's files are read. */
  public enum Format {
    /** RFC 4180 CSV with a header ({@link CsvSource}). */
    CSV,
    /** One JSON object a line ({@link JsonLinesSource}). */
    JSON_LINES
  }

  public RawDataset {
    fields = List.copyOf(fields);
    normalisers = Map.copyOf(normalisers);
    for (String field : typed.fieldNames()) {
      if (!fields.contains(field)) {
        throw new IllegalArgumentException("Cannot declare " + name + ": typed field " + field
            + " is not one of its fields " + fields);
      }
    }
  }

  /** A declaration with no derived columns, no deduplication and no day partitioning, to build on. */
  public static RawDataset of(String name, Format format, List<String> fields, StructType typed,
      Function<Instant, List<RowRule>> rules) {
    return new RawDataset(name, format, fields, Map.of(), rules, typed, ds -> ds, Optional.empty(), Optional.empty());
  }

  public RawDataset normalising(Map<String, UnaryOperator<Column>> byField) {
    return new RawDataset(name, format, fields, byField, rules, typed, derive, dedup, dayOf);
  }

  public RawDataset deriving(Transform extra) {
    return new RawDataset(name, format, fields, normalisers, rules, typed, extra, dedup, dayOf);
  }

  public RawDataset deduplicatedBy(Dedup key) {
    return new RawDataset(name, format, fields, normalisers, rules, typed, derive, Optional.of(key), dayOf);
  }

  public RawDataset partitionedByDayOf(String timestampColumn) {
    return new RawDataset(name, format, fields, normalisers, rules, typed, derive, dedup, Optional.of(timestampColumn));
  }

  /** True for CSV: its files must have a header naming every field (validate checks it). */
  public boolean csv() {
    return format == Format.CSV;
  }
}
