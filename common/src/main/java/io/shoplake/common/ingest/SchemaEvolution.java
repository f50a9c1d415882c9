package io.shoplake.common.ingest;

import io.shoplake.common.dataset.RawDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;

/**
 * Applies the samples of new files, in path order (oldest raw date first), to a dataset's recorded
 * contract. Pure Java: the rules of schema evolution are unit-tested without Spark.
 *
 * <ul>
 *   <li>No contract yet: the first file's sample is version 1.</li>
 *   <li>A column the contract does not have: a new, additive version; rows of older files read it as null.</li>
 *   <li>A column whose values are wider than its type (int -> bigint -> decimal -> double, date ->
 *       timestamp): a new version with the wider type ({@link ColumnTypes#merge}).</li>
 *   <li>A contract column missing from a file: read as null there, and reported.</li>
 *   <li>A column whose values mostly fit no widening of its type (text in a number column): the file is
 *       rejected with a reason naming the column and both types; the contract is not changed by it. When
 *       most values fit, the others are bad rows, not a new type: the row rules quarantine them.</li>
 * </ul>
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /**
   * The sample of one file: its columns in order, each with its sampled values (cleaned: trimmed,
   * empty as null).
   *
   * @param file the file's path under the lake root
   * @param values source column name -> sampled values, in the file's order
   */
  public record FileSample(String file, Map<String, List<String>> values) {
    /** The narrowest type of each column's values ({@link ColumnTypes#infer}). */
    Map<String, DataType> types() {
      Map<String, DataType> types = new LinkedHashMap<>();
      values.forEach((column, texts) -> types.put(column, ColumnTypes.infer(texts)));
      return types;
    }
  }

  /** A file the contract cannot take. */
  public record Rejection(String file, String reason, String detail) {}

  /**
   * What the samples did to the contract.
   *
   * @param versions the new versions, in order (empty when nothing changed)
   * @param rejected the files rejected, with why
   * @param notes what a person should know that is no error (columns missing from a file)
   */
  public record Outcome(List<SchemaContract> versions, List<Rejection> rejected, List<String> notes) {
    /** The contract after the samples: the last new version, else {@code current}. */
    public Optional<SchemaContract> latest(Optional<SchemaContract> current) {
      return versions.isEmpty() ? current : Optional.of(versions.get(versions.size() - 1));
    }
  }

  public static Outcome apply(String dataset, RawDataset.Format format, Optional<SchemaContract> current,
      List<FileSample> samples, String runId) {
    List<SchemaContract> versions = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    SchemaContract contract = current.orElse(null);
    for (FileSample sample : samples) {
      Optional<String> clash = nameClash(sample);
      if (clash.isPresent()) {
        rejected.add(new Rejection(sample.file(), "schema_column_names", clash.get()));
        continue;
      }
      if (contract == null) {
        List<SchemaContract.Column> columns = new ArrayList<>();
        sample.types().forEach((source, type) -> columns.add(
            new SchemaContract.Column(SchemaContract.lakeName(source), source, ColumnTypes.name(type), 1)));
        contract = SchemaContract.first(dataset, format, columns, sample.file(), runId);
        versions.add(contract);
        continue;
      }
      Map<String, DataType> types = sample.types();
      Map<String, SchemaContract.Column> next = new LinkedHashMap<>();
      contract.columns().forEach(c -> next.put(c.source(), c));
      List<String> changes = new ArrayList<>();
      String incompatible = null;
      int version = contract.version() + 1;
      for (Map.Entry<String, DataType> column : types.entrySet()) {
        SchemaContract.Column known = next.get(column.getKey());
        if (known == null) {
          String name = SchemaContract.lakeName(column.getKey());
          if (next.values().stream().anyMatch(c -> c.name().equals(name))) {
            incompatible = "column '" + column.getKey() + "' would be stored as " + name
                + ", which another column of the contract already is";
            break;
          }
          next.put(column.getKey(), new SchemaContract.Column(name, column.getKey(),
              ColumnTypes.name(column.getValue()), version));
          changes.add("added " + name + " " + ColumnTypes.name(column.getValue()));
          continue;
        }
        DataType was = ColumnTypes.parse(known.type());
        Optional<DataType> merged = ColumnTypes.merge(was, column.getValue());
        if (merged.isEmpty()) {
          merged = mostlyFitting(was, sample.values().get(column.getKey()));
        }
        if (merged.isEmpty()) {
          incompatible = "column " + known.source() + ": the contract (v" + contract.version() + ") has "
              + known.type() + ", the file holds " + ColumnTypes.name(column.getValue()) + " values";
          break;
        }
        if (!merged.get().equals(was)) {
          next.put(known.source(), new SchemaContract.Column(known.name(), known.source(),
              ColumnTypes.name(merged.get()), known.since()));
          changes.add("widened " + known.name() + " " + known.type() + " -> " + ColumnTypes.name(merged.get()));
        }
      }
      if (incompatible != null) {
        rejected.add(new Rejection(sample.file(), "schema_type_change", incompatible));
        continue;
      }
      List<String> missing = contract.sources().stream().filter(s -> !types.containsKey(s)).toList();
      if (!missing.isEmpty()) {
        notes.add(sample.file() + " has no column " + String.join(", ", missing) + ": read as null there");
      }
      if (!changes.isEmpty()) {
        contract = contract.next(new ArrayList<>(next.values()), String.join("; ", changes), sample.file(), runId);
        versions.add(contract);
      }
    }
    return new Outcome(versions, rejected, notes);
  }

  /**
   * The type of a column of type {@code was} whose sampled values do not all fit it: a widening of it
   * when at least half of the values fit one (the others are bad rows), else empty (a change of type).
   */
  private static Optional<DataType> mostlyFitting(DataType was, List<String> values) {
    List<String> present = values.stream().filter(Objects::nonNull).toList();
    List<String> fitting = present.stream().filter(v -> ColumnTypes.merge(was, ColumnTypes.infer(List.of(v))).isPresent())
        .toList();
    if (fitting.isEmpty() || fitting.size() * 2 < present.size()) {
      return Optional.empty();
    }
    return ColumnTypes.merge(was, ColumnTypes.infer(fitting));
  }

  /** Two source columns of one file stored under one lake name ("Order ID" and "order_id"). */
  private static Optional<String> nameClash(FileSample sample) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String source : sample.values().keySet()) {
      String other = byName.putIfAbsent(SchemaContract.lakeName(source), source);
      if (other != null) {
        return Optional.of("columns '" + other + "' and '" + source + "' would both be stored as "
            + SchemaContract.lakeName(source));
      }
    }
    return Optional.empty();
  }
}
