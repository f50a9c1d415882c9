package io.shoplake.jobs.tools;

import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.UsageException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;

/**
 * Options of the data generator ({@code scripts/generate-data.sh}).
 *
 * @param rows transactions to generate (the other datasets scale with it)
 * @param days days of data, from {@code startDate}
 * @param seed random seed: the same options give the same bytes
 * @param out output folder: {@code raw/<dataset>/date=…/} and {@code mysql/stg_core.sql} below it
 * @param dirtyRatio share of rows (0..0.5) that break a rule of the data contract
 * @param startDate first day
 * @param datasets which datasets to write (all by default)
 */
public record GeneratorOptions(long rows, int days, long seed, Path out, double dirtyRatio, LocalDate startDate,
    Set<String> datasets) {
  public static final Set<String> ALL = Set.of("transactions", "fx_rates", "products", "categories",
      "customers", "clickstream", "reviews", "mysql");

  public static GeneratorOptions parse(String... args) {
    JobArguments a = JobArguments.parse(args);
    long rows = number(a, "rows", "1000");
    int days = (int) number(a, "days", "3");
    long seed = number(a, "seed", "42");
    String out = a.get("out").orElseThrow(() -> new UsageException("Cannot generate data: --out DIR is required"));
    double dirty;
    try {
      dirty = Double.parseDouble(a.get("dirty-ratio").orElse("0.02"));
    } catch (NumberFormatException e) {
      throw new UsageException("Cannot use --dirty-ratio '" + a.get("dirty-ratio").get() + "': expected a number");
    }
    if (rows < 1 || days < 1 || dirty < 0 || dirty > 0.5) {
      throw new UsageException("Cannot generate data: expected --rows >= 1, --days >= 1, 0 <= --dirty-ratio <= 0.5");
    }
    LocalDate start;
    try {
      start = LocalDate.parse(a.get("start-date").orElse("2025-01-01"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new UsageException("Cannot use --start-date '" + a.get("start-date").get() + "': expected YYYY-MM-DD");
    }
    Set<String> datasets = a.get("datasets").map(d -> Set.of(d.split(","))).orElse(ALL);
    for (String d : datasets) {
      if (!ALL.contains(d)) {
        throw new UsageException("Cannot generate dataset '" + d + "': known datasets are " + ALL);
      }
    }
    return new GeneratorOptions(rows, days, seed, Path.of(out), dirty, start, datasets);
  }

  private static long number(JobArguments a, String key, String defaultValue) {
    String text = a.get(key).orElse(defaultValue);
    try {
      return Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("Cannot use --" + key + " '" + text + "': expected a whole number");
    }
  }

  public boolean wants(String dataset) {
    return datasets.contains(dataset);
  }
}
