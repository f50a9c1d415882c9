package io.shoplake.common.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.shoplake.common.config.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code shoplake.quality.datasets}: per dataset a path, an optional quarantine and named checks
 * ({@code checks.<name> { check = <kind>, severity = error|warning|off, ... }}). The subtree is open
 * (an environment file may add a dataset or a check, which the generic key check of the loader would
 * refuse), so this parser is strict instead: an unknown kind, a missing or unknown parameter, or a
 * value of the wrong type is a one-line {@link UsageException} naming the key.
 */
public final class QualityConfig {
  public static final String PREFIX = "shoplake.quality.datasets";
  static final List<String> KINDS = List.of("row-count", "completeness", "uniqueness", "range", "allowed-values",
      "freshness", "quarantine-ratio", "row-count-anomaly");

  private QualityConfig() {}

  /**
   * The datasets and their enabled checks, from {@code config}'s {@code shoplake.quality}; a wrong
   * setting is a {@link UsageException} naming its key. Cost: a walk of a small config tree.
   */
  public static List<DatasetChecks> parse(io.shoplake.common.config.LakeConfig config) {
    List<DatasetChecks> datasets = new ArrayList<>();
    Config all = config.quality().getConfig("datasets");
    for (String name : new TreeSet<>(all.root().keySet())) {
      Settings dataset = new Settings(all, name, PREFIX + "." + name);
      String path = dataset.string("path");
      String quarantine = dataset.optionalString("quarantine").orElse("");
      Settings checks = dataset.child("checks");
      List<QualityCheck> enabled = new ArrayList<>();
      for (String checkName : new TreeSet<>(checks.config.root().keySet())) {
        QualityCheck check = check(checks.child(checkName), checkName);
        if (check.severity() != Severity.OFF) {
          enabled.add(check);
        }
      }
      dataset.done();
      datasets.add(new DatasetChecks(name, path, quarantine.isBlank() ? Optional.empty() : Optional.of(quarantine),
          List.copyOf(enabled)));
    }
    return List.copyOf(datasets);
  }

  private static QualityCheck check(Settings s, String name) {
    String kind = s.string("check");
    Severity severity = Severity.parse(s.optionalString("severity").orElse("error"), s.key("severity"));
    QualityCheck check = switch (kind) {
      case "row-count" -> new RowCountCheck(name, severity, s.optionalLong("min").orElse(1L),
          s.optionalLong("max").orElse(null));
      case "completeness" -> new CompletenessCheck(name, severity, s.strings("columns"),
          s.ratio("min-ratio", 1.0));
      case "uniqueness" -> new UniquenessCheck(name, severity, s.strings("columns"));
      case "range" -> {
        Double min = s.optionalDouble("min").orElse(null);
        Double max = s.optionalDouble("max").orElse(null);
        if (min == null && max == null) {
          throw new UsageException("Cannot use " + s.prefix + ": a range check needs min, max or both");
        }
        yield new RangeCheck(name, severity, s.string("column"), min, max);
      }
      case "allowed-values" -> new AllowedValuesCheck(name, severity, s.string("column"), s.strings("values"));
      case "freshness" -> new FreshnessCheck(name, severity, s.string("column"), s.duration("max-age"));
      case "quarantine-ratio" -> new QuarantineRatioCheck(name, severity, s.ratio("max", null));
      case "row-count-anomaly" -> {
        int runs = (int) s.optionalLong("runs").orElse(5L).longValue();
        int minRuns = (int) s.optionalLong("min-runs").orElse(3L).longValue();
        if (runs < 1 || minRuns < 1 || minRuns > runs) {
          throw new UsageException("Cannot use " + s.prefix + ": expected 1 <= min-runs <= runs, got runs " + runs
              + ", min-runs " + minRuns);
        }
        Optional<Double> rise = s.optionalDouble("max-rise");
        yield new RowCountAnomalyCheck(name, severity, runs, minRuns, s.ratio("max-drop", null), rise.orElse(null));
      }
      default -> throw new UsageException("Cannot use " + s.key("check") + " '" + kind + "': expected one of "
          + String.join(", ", KINDS));
    };
    s.done();
    return check;
  }

  /** One config object whose keys are read once each; {@link #done} refuses the keys nobody read. */
  private static final class Settings {
    private final Config config;
    private final String prefix;
    private final Set<String> used = new HashSet<>();

    Settings(Config parent, String name, String prefix) {
      this.prefix = prefix;
      try {
        this.config = parent.getConfig("\"" + name + "\"");
      } catch (ConfigException.WrongType e) {
        throw new UsageException("Cannot use " + prefix + ": expected an object { ... }");
      }
    }

    String key(String name) {
      return prefix + "." + name;
    }

    Settings child(String name) {
      used.add(name);
      if (!config.hasPath(name)) {
        throw new UsageException("Cannot use " + prefix + ": " + name + " is missing");
      }
      return new Settings(config, name, key(name));
    }

    private <T> T read(String name, java.util.function.Supplier<T> get, String expected) {
      used.add(name);
      if (!config.hasPath(name)) {
        throw new UsageException("Cannot use " + prefix + ": " + name + " is missing");
      }
      try {
        return get.get();
      } catch (ConfigException e) {
        throw new UsageException("Cannot use " + key(name) + " " + config.getValue(name).render() + ": expected "
            + expected);
      }
    }

    String string(String name) {
      String value = read(name, () -> config.getString(name), "text");
      if (value.isBlank()) {
        throw new UsageException("Cannot use " + key(name) + ": the value is empty");
      }
      return value;
    }

    Optional<String> optionalString(String name) {
      return config.hasPath(name) ? Optional.of(read(name, () -> config.getString(name), "text")) : Optional.empty();
    }

    Optional<Long> optionalLong(String name) {
      return config.hasPath(name) ? Optional.of(read(name, () -> config.getLong(name), "a whole number"))
          : Optional.empty();
    }

    Optional<Double> optionalDouble(String name) {
      return config.hasPath(name) ? Optional.of(read(name, () -> config.getDouble(name), "a number"))
          : Optional.empty();
    }

    /** A share between 0 and 1; {@code orElse} null makes it required. */
    double ratio(String name, Double orElse) {
      if (!config.hasPath(name) && orElse != null) {
        return orElse;
      }
      double value = read(name, () -> config.getDouble(name), "a share between 0 and 1");
      if (value < 0 || value > 1) {
        throw new UsageException("Cannot use " + key(name) + " " + value + ": expected a share between 0 and 1");
      }
      return value;
    }

    List<String> strings(String name) {
      List<String> values = read(name, () -> config.getStringList(name), "a list of text values");
      if (values.isEmpty()) {
        throw new UsageException("Cannot use " + key(name) + ": the list is empty");
      }
      return List.copyOf(values);
    }

    Duration duration(String name) {
      Duration value = read(name, () -> config.getDuration(name), "a duration such as 2 days or 6 hours");
      if (value.isNegative() || value.isZero()) {
        throw new UsageException("Cannot use " + key(name) + " " + value + ": expected a positive duration");
      }
      return value;
    }

    void done() {
      Set<String> unknown = new TreeSet<>(config.root().keySet());
      unknown.removeAll(used);
      if (!unknown.isEmpty()) {
        throw new UsageException("Cannot use " + prefix + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
            + String.join(", ", unknown));
      }
    }
  }
}
