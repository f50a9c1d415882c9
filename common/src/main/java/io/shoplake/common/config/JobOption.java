package io.shoplake.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One option a job reads beyond the common arguments ({@code --full-refresh}, {@code --dataset}, ...),
 * declared by the job ({@code LakeJob.options}) so that a wrong value is refused before Spark starts,
 * with the usual one-line message and exit 2, instead of being read as something else deep in the run
 * ({@code --full-refresh yes} used to mean false).
 *
 * @param name the key, without the dashes
 * @param kind how its value is read
 * @param choices the values a flag or list may take ({@code all} is always allowed in a list)
 * @param pattern the shape a text value must have, or null for any non-empty text
 * @param expected how the message describes a valid value
 * @param required the job cannot run without it
 */
public record JobOption(String name, Kind kind, List<String> choices, Pattern pattern, String expected,
    boolean required) {
  /** How a value is read. */
  public enum Kind {
    /** true or false; given without a value it is true. */
    FLAG,
    /** {@code all}, or a comma-separated list of choices. */
    LIST,
    /** free text, of the given shape. */
    TEXT
  }

  public static JobOption flag(String name) {
    return new JobOption(name, Kind.FLAG, List.of("true", "false"), null, "it is a flag (true or false)", false);
  }

  public static JobOption list(String name, List<String> choices) {
    return new JobOption(name, Kind.LIST, List.copyOf(choices), null,
        "expected all or a comma-separated list of " + String.join(", ", choices), false);
  }

  public static JobOption text(String name, String regex, String expected) {
    return new JobOption(name, Kind.TEXT, List.of(), Pattern.compile(regex), expected, false);
  }

  /** This option, which the job cannot run without. */
  public JobOption mandatory() {
    return new JobOption(name, kind, choices, pattern, expected, true);
  }

  /** Checks this option's value in {@code args}, if given; throws {@link UsageException} naming it. */
  public void check(JobArguments args) {
    if (required && args.get(name).isEmpty()) {
      throw new UsageException("Cannot run without --" + name + ": " + expected);
    }
    if (kind != Kind.FLAG && args.givenWithoutValue(name)) {
      throw new UsageException("Cannot use --" + name + " without a value: " + expected);
    }
    args.get(name).ifPresent(value -> {
      boolean valid = switch (kind) {
        case FLAG -> choices.contains(value);
        case LIST -> value.equals("all") || (!value.isBlank()
            && List.of(value.split(",", -1)).stream().map(String::trim).allMatch(choices::contains));
        case TEXT -> !value.isBlank() && !value.equals("true") && pattern.matcher(value).matches();
      };
      if (!valid) {
        throw new UsageException("Cannot use --" + name + " '" + value + "': " + expected);
      }
    });
  }

  /** Checks every option of {@code options} in {@code args}. */
  public static void checkAll(List<JobOption> options, JobArguments args) {
    options.forEach(o -> o.check(args));
  }

  /**
   * Refuses a key of {@code args} that neither every job ({@link JobArguments#COMMON_KEYS}) nor one of
   * {@code options} reads, naming the keys that {@code who} takes; on a run Glue launched, which passes
   * arguments of its own, any key goes. Without this a misspelt {@code --run-date} or {@code --full-refresh}
   * ran the job as if it were not there.
   */
  public static void checkKnown(String who, List<JobOption> options, JobArguments args) {
    if (args.launchedByGlue()) {
      return;
    }
    List<String> known = knownKeys(options);
    for (String key : args.keys()) {
      if (!known.contains(key)) {
        throw new UsageException("Cannot use --" + key + ": " + who + " takes no such argument (it takes --"
            + String.join(", --", known) + ")");
      }
    }
  }

  /** Every key a job with {@code options} reads: the common ones, then its own, each once. */
  public static List<String> knownKeys(List<JobOption> options) {
    List<String> known = new ArrayList<>(JobArguments.COMMON_KEYS);
    options.forEach(o -> known.add(o.name()));
    return known.stream().distinct().toList();
  }

  /** The value of flag {@code name} in {@code args} (false when absent); call after {@link #check}. */
  public static boolean flagValue(JobArguments args, String name) {
    return args.get(name).map("true"::equals).orElse(false);
  }

  /** The names of list {@code name} in {@code args}: empty when absent, {@code choices} for {@code all}. */
  public static List<String> listValue(JobArguments args, String name, List<String> choices) {
    List<String> values = new ArrayList<>();
    args.get(name).ifPresent(v -> {
      if (v.equals("all")) {
        values.addAll(choices);
      } else {
        List.of(v.split(",")).forEach(x -> values.add(x.trim()));
      }
    });
    return values;
  }
}
