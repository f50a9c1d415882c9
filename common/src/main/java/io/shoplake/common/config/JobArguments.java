package io.shoplake.common.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Glue-style job arguments: {@code --key value} pairs, as AWS Glue passes them to a job's main class
 * and as {@code spark-submit} users type them.
 *
 * <p>Glue adds arguments of its own ({@code --JOB_ID}, {@code --JOB_RUN_ID}, {@code --TempDir},
 * {@code --job-bookmark-option}, {@code --enable-metrics} with no value, ...). On a run Glue launched
 * ({@link #launchedByGlue}) they are kept but never an error: a job reads only the keys it knows. Elsewhere
 * a key that the job does not read is refused ({@link JobOption#checkKnown}): a typo such as
 * {@code --run-dat} must not quietly process every date. A key followed by another key (or by nothing) is
 * a flag with the value {@code "true"}. {@code --key=value} is accepted too.
 *
 * <p>Known keys are validated here, before Spark starts, so a typo costs a one-line message rather
 * than a cluster start-up.
 */
public final class JobArguments {
  public static final Set<String> ENVIRONMENTS = Set.of("local", "dev", "staging", "prod");
  /** The keys every job reads: the environment and configuration, the lake, the dates, the bookmark. */
  public static final List<String> COMMON_KEYS = List.of("env", "lake-root", "run-date", "config-file",
      "transactions-source", "bookmark", "job-bookmark-option", "bookmark-rewind-to");
  /** What Glue passes to every run it launches, and only Glue. */
  private static final List<String> GLUE_RUN_KEYS = List.of("JOB_ID", "JOB_RUN_ID", "JOB_NAME");

  private final Map<String, String> values;
  /** The keys given with no value (followed by another key, or last): flags, or a value forgotten. */
  private final Set<String> bare;

  private JobArguments(Map<String, String> values, Set<String> bare) {
    this.values = Collections.unmodifiableMap(values);
    this.bare = Collections.unmodifiableSet(bare);
  }

  /** Parses {@code args}; throws {@link UsageException} naming the argument that is wrong. */
  public static JobArguments parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> bare = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String token = args[i];
      if (!token.startsWith("--") || token.length() == 2) {
        throw new UsageException(
            "Cannot parse arguments: expected --key value, found '" + token + "' at position " + (i + 1));
      }
      String key = token.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq > 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      values.put(key, value == null ? "true" : value); // the last of a repeated key wins
      if (value == null) {
        bare.add(key);
      } else {
        bare.remove(key);
      }
    }
    JobArguments parsed = new JobArguments(values, bare);
    parsed.validate();
    return parsed;
  }

  private void validate() {
    for (String key : COMMON_KEYS) {
      if (givenWithoutValue(key)) {
        throw new UsageException("Cannot use --" + key + " without a value (--" + key + " <value>)");
      }
    }
    String env = environment();
    if (!ENVIRONMENTS.contains(env)) {
      throw new UsageException(
          "Cannot use --env '" + env + "': expected one of local, dev, staging, prod");
    }
    runDate();
    io.shoplake.common.bookmark.BookmarkOption.of(this);
    lakeRoot().ifPresent(root -> {
      if (root.isBlank()) {
        throw new UsageException("Cannot use --lake-root: the value is empty");
      }
    });
  }

  /** {@code --env}, default {@code local}. */
  public String environment() {
    return values.getOrDefault("env", "local");
  }

  /** {@code --lake-root}: overrides {@code shoplake.lake.root}. */
  public Optional<String> lakeRoot() {
    return get("lake-root");
  }

  /** {@code --run-date YYYY-MM-DD}: process only that raw date; absent means all dates. */
  public Optional<LocalDate> runDate() {
    return get("run-date").map(text -> {
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "Cannot use --run-date '" + text + "': expected a calendar date YYYY-MM-DD");
      }
    });
  }

  /** {@code --JOB_NAME} as Glue passes it; absent when run with spark-submit. */
  public Optional<String> glueJobName() {
    return get("JOB_NAME");
  }

  /** {@code --JOB_RUN_ID} as Glue passes it; used as the run id when present. */
  public Optional<String> glueJobRunId() {
    return get("JOB_RUN_ID");
  }

  /** {@code --transactions-source csv|jdbc}: overrides {@code shoplake.transactions.source}. */
  public Optional<String> transactionsSource() {
    return get("transactions-source");
  }

  /** {@code --config-file}: an extra HOCON file layered over the environment file (local runs). */
  public Optional<String> configFile() {
    return get("config-file");
  }

  /** Every key given, in order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** True when Glue launched the run ({@code --JOB_ID}, {@code --JOB_RUN_ID} or {@code --JOB_NAME} given). */
  public boolean launchedByGlue() {
    return GLUE_RUN_KEYS.stream().anyMatch(values::containsKey);
  }

  /**
   * True when {@code key} was given with no value ({@code --lake-root} last, or followed by another key): a
   * flag, or a value forgotten, which must not be read as the text {@code true}.
   */
  public boolean givenWithoutValue(String key) {
    return bare.contains(key);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }
}
