package io.shoplake.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.shoplake.common.io.LiteralPaths;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads and validates the HOCON configuration: {@code conf/reference.conf} (every key and its
 * default) &lt; {@code conf/<env>.conf} &lt; an optional {@code --config-file} &lt; arguments.
 *
 * <p>The files are read from the classpath (they are packaged in the jobs jar, so a Glue job needs
 * only the jar) unless {@code confDir} is given. Validation happens once, here: a key that the
 * reference file does not declare, or a value whose type differs from the reference's, is a
 * {@link UsageException} naming the key and the file it came from.
 */
public final class ConfigLoader {
  private static final String ROOT = "shoplake";

  private ConfigLoader() {}

  /** Loads the configuration for {@code args} from the classpath resources {@code conf/*.conf}. */
  public static LakeConfig load(JobArguments args) {
    return load(args, Optional.empty());
  }

  /** Loads the configuration for {@code args}, from {@code confDir} when present. */
  public static LakeConfig load(JobArguments args, Optional<File> confDir) {
    String env = args.environment();
    Config fromArgs = ConfigFactory.parseMap(Map.of(ROOT + ".env", env), "command-line arguments");
    Config referenceFile = read(confDir, "reference.conf");
    // Resolved with the environment, so that derived defaults (the bucket name) can be type-checked.
    Config reference;
    try {
      reference = fromArgs.withFallback(referenceFile).resolve();
    } catch (ConfigException e) {
      throw new UsageException("Cannot load configuration: " + oneLine(e.getMessage()), e);
    }
    Config overrides = read(confDir, env + ".conf");
    checkKnownKeys(overrides, reference, "conf/" + env + ".conf");
    if (args.configFile().isPresent()) {
      File file = new File(args.configFile().get());
      if (!file.isFile()) {
        throw new UsageException("Cannot read --config-file '" + file + "': no such file");
      }
      Config extra = parse(() -> ConfigFactory.parseFile(file, strict()), file.toString());
      checkKnownKeys(extra, reference, file.toString());
      overrides = extra.withFallback(overrides);
    }
    if (args.lakeRoot().isPresent()) {
      fromArgs = fromArgs.withValue(ROOT + ".lake.root", ConfigValueFactory.fromAnyRef(args.lakeRoot().get()));
    }
    if (args.transactionsSource().isPresent()) {
      fromArgs = fromArgs.withValue(ROOT + ".transactions.source",
          ConfigValueFactory.fromAnyRef(args.transactionsSource().get()));
    }
    Config merged;
    try {
      merged = fromArgs.withFallback(overrides).withFallback(referenceFile).resolve();
      merged.checkValid(reference, ROOT);
    } catch (ConfigException e) {
      throw new UsageException("Cannot load configuration: " + oneLine(e.getMessage()), e);
    }
    return toLakeConfig(merged.getConfig(ROOT));
  }

  private static LakeConfig toLakeConfig(Config c) {
    String persistLevel = storageLevel(c, "transactions.persist-level", true);
    String transactionsSource = c.getString("transactions.source");
    if (!LakeConfig.Transactions.SOURCES.contains(transactionsSource)) {
      throw new UsageException("Cannot use shoplake.transactions.source '" + transactionsSource
          + "': expected csv or jdbc");
    }
    int shufflePartitions = c.getInt("spark.shuffle-partitions");
    if (shufflePartitions < 0) {
      throw new UsageException("Cannot use shoplake.spark.shuffle-partitions " + shufflePartitions
          + ": expected 0 (keep Spark's) or a positive number");
    }
    long shufflePartitionBytes = bytes(c, "spark.shuffle-partition-bytes");
    long codegenMinInputBytes = bytes(c, "spark.codegen-min-input-bytes");
    long c2MinInputBytes = bytes(c, "spark.c2-min-input-bytes");
    String cacheFormat = c.getString("spark.cache-format").toLowerCase(Locale.ROOT);
    if (!LakeConfig.CACHE_FORMATS.contains(cacheFormat)) {
      throw new UsageException("Cannot use shoplake.spark.cache-format '" + cacheFormat + "': expected rows or columns");
    }
    Map<String, String> sparkSettings = sparkSqlSettings(c);
    Map<String, String> launchSettings = sparkLaunchSettings(c);
    String root = c.getString("lake.root");
    if (root.isBlank()) {
      throw new UsageException("Cannot use shoplake.lake.root: the value is empty");
    }
    checkLakeRoot(root);
    return new LakeConfig(
        c.getString("project"),
        c.getString("env"),
        root,
        parquetPlainColumns(c),
        shufflePartitions,
        shufflePartitionBytes,
        codegenMinInputBytes,
        c2MinInputBytes,
        cacheFormat,
        sparkSettings,
        launchSettings,
        aws(c),
        new LakeConfig.Pii(
            c.getString("pii.hash-key-env"),
            c.getString("pii.hash-key-secret-id"),
            c.getBoolean("pii.allow-development-key")),
        new LakeConfig.Transactions(
            c.getString("transactions.dataset"),
            c.getString("transactions.fx-rates-dataset"),
            persistLevel,
            transactionsSource,
            bytes(c, "transactions.disk-only-min-input-bytes")),
        new LakeConfig.Products(
            c.getString("products.dataset"),
            c.getString("products.categories-dataset"),
            positive(c, "products.sales-window-days")),
        new LakeConfig.Reviews(c.getString("reviews.dataset")),
        clickstream(c),
        export(c),
        new LakeConfig.StgCore(c.getString("stg-core.jdbc-url"), c.getString("stg-core.user"),
            c.getString("stg-core.password-secret-id"), c.getStringList("stg-core.tables"),
            c.getStringList("stg-core.parallel-tables"), positive(c, "stg-core.partitions"),
            positive(c, "stg-core.fetch-size"),
            new Backoff(positive(c, "stg-core.retry-attempts"),
                positiveDuration(c, "stg-core.retry-initial-backoff"),
                positiveDuration(c, "stg-core.retry-max-backoff"))),
        validate(c),
        positiveDuration(c, "state.lock-lease"),
        c.getConfig("quality"),
        new Backoff(positive(c, "pipeline.retry-attempts"),
            positiveDuration(c, "pipeline.retry-initial-backoff"), positiveDuration(c, "pipeline.retry-max-backoff")),
        positive(c, "pipeline.parallel-steps"), bytes(c, "pipeline.parallel-max-input-bytes"));
  }

  /** {@code lake.parquet-plain-columns}: column names (letters, digits, '_', '.' for a nested field), no repeats. */
  private static List<String> parquetPlainColumns(Config c) {
    List<String> columns = c.getStringList("lake.parquet-plain-columns").stream().map(String::trim).toList();
    for (String column : columns) {
      if (!column.matches("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*")) {
        throw new UsageException("Cannot use shoplake.lake.parquet-plain-columns '" + column
            + "': expected column names such as event_id (letters, digits, '_'; a nested field as parent.child)");
      }
    }
    if (new TreeSet<>(columns).size() != columns.size()) {
      throw new UsageException("Cannot use shoplake.lake.parquet-plain-columns: a column is named twice in "
          + columns);
    }
    return columns;
  }

  private static LakeConfig.Aws aws(Config c) {
    String pathStyle = c.getString("aws.s3-path-style-access").trim().toLowerCase(Locale.ROOT);
    if (!LakeConfig.Aws.PATH_STYLE_CHOICES.contains(pathStyle)) {
      throw new UsageException("Cannot use shoplake.aws.s3-path-style-access '" + pathStyle
          + "': expected auto, true or false");
    }
    String endpoint = c.getString("aws.s3-endpoint").trim();
    if (!endpoint.isEmpty() && !endpoint.matches("(?i)https?://[^/\\s]+/?")) {
      throw new UsageException("Cannot use shoplake.aws.s3-endpoint '" + endpoint
          + "': expected an http:// or https:// URL of a host, such as http://127.0.0.1:9090");
    }
    return new LakeConfig.Aws(c.getString("aws.region"), c.getString("aws.secrets-manager-endpoint"), endpoint,
        pathStyle);
  }

  private static LakeConfig.Validate validate(Config c) {
    long maxBytes;
    try {
      maxBytes = c.getBytes("validate.max-file-size");
    } catch (ConfigException e) {
      throw new UsageException("Cannot use shoplake.validate.max-file-size '" + c.getValue("validate.max-file-size")
          .unwrapped() + "': expected a size such as 512 MiB or 5 GiB");
    }
    if (maxBytes <= 0) {
      throw new UsageException("Cannot use shoplake.validate.max-file-size " + maxBytes + ": expected a positive size");
    }
    double ratio = c.getDouble("validate.max-malformed-line-ratio");
    if (ratio < 0 || ratio > 1) {
      throw new UsageException("Cannot use shoplake.validate.max-malformed-line-ratio " + ratio
          + ": expected a share between 0 and 1");
    }
    java.time.Duration tolerance = c.getDuration("validate.future-tolerance");
    if (tolerance.isNegative()) {
      throw new UsageException("Cannot use shoplake.validate.future-tolerance " + tolerance
          + ": expected zero or a positive duration");
    }
    return new LakeConfig.Validate(maxBytes, ratio, tolerance);
  }

  private static int positive(Config c, String key) {
    int value = c.getInt(key);
    if (value <= 0) {
      throw new UsageException("Cannot use shoplake." + key + " " + value + ": expected a positive number");
    }
    return value;
  }

  private static java.time.Duration positiveDuration(Config c, String key) {
    java.time.Duration value;
    try {
      value = c.getDuration(key);
    } catch (ConfigException e) {
      throw new UsageException("Cannot use shoplake." + key + " '" + c.getValue(key).unwrapped()
          + "': expected a duration such as 30 minutes or 24h");
    }
    if (value.isNegative() || value.isZero()) {
      throw new UsageException("Cannot use shoplake." + key + " " + value + ": expected a positive duration");
    }
    return value;
  }

  private static LakeConfig.Clickstream clickstream(Config c) {
    java.util.List<String> patterns = c.getStringList("clickstream.bot-user-agent-patterns").stream()
        .map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
    if (patterns.stream().anyMatch(String::isEmpty)) {
      throw new UsageException("Cannot use shoplake.clickstream.bot-user-agent-patterns: an empty pattern would"
          + " mark every event as a bot");
    }
    return new LakeConfig.Clickstream(c.getString("clickstream.dataset"),
        positiveDuration(c, "clickstream.inactivity-gap"), positiveDuration(c, "clickstream.max-session-length"),
        patterns, storageLevel(c, "clickstream.persist-level", false));
  }

  /**
   * The Spark storage level named at {@code key}, upper case; NONE (no cache) only where {@code noneAllowed}.
   */
  private static String storageLevel(Config c, String key, boolean noneAllowed) {
    String level = c.getString(key).toUpperCase(Locale.ROOT);
    String expected = noneAllowed ? "NONE or a Spark storage level" : "a Spark storage level";
    if (level.equals("NONE")) {
      if (noneAllowed) {
        return level;
      }
    } else {
      try {
        StorageLevel.fromString(level);
        return level;
      } catch (IllegalArgumentException e) {
        // not a level: reported below
      }
    }
    throw new UsageException("Cannot use shoplake." + key + " '" + level + "': expected " + expected
        + " such as MEMORY_AND_DISK or DISK_ONLY");
  }

  private static LakeConfig.Export export(Config c) {
    String compression = c.getString("export.compression").toLowerCase(Locale.ROOT);
    if (!compression.equals("none") && !compression.equals("gzip")) {
      throw new UsageException("Cannot use shoplake.export.compression '" + compression + "': expected none or gzip");
    }
    return new LakeConfig.Export(compression, c.getStringList("export.pipeline-tables"));
  }

  /** A size setting under {@code shoplake.}: 0, or a size such as {@code 64 MiB}; else a usage error. */
  private static long bytes(Config c, String path) {
    try {
      return c.getBytes(path); // a negative size is a ConfigException too
    } catch (ConfigException e) {
      throw new UsageException("Cannot use shoplake." + path + " '" + c.getValue(path).unwrapped()
          + "': expected 0 or a size such as 64 MiB");
    }
  }

  /**
   * {@code spark.sql-settings}: Spark SQL settings of the environment, each a {@code spark.sql.*} key
   * (the only ones a running session takes) and a scalar value.
   */
  private static Map<String, String> sparkSqlSettings(Config c) {
    Map<String, String> settings = new HashMap<>();
    for (Map.Entry<String, ConfigValue> entry : c.getObject("spark.sql-settings").entrySet()) {
      if (!entry.getKey().startsWith("spark.sql.")) {
        throw new UsageException("Cannot use shoplake.spark.sql-settings \"" + entry.getKey()
            + "\": only spark.sql.* settings can be set on a job's session (others go to spark-submit --conf"
            + " or shoplake.spark.launch-settings)");
      }
      settings.put(entry.getKey(), scalar("spark.sql-settings", entry.getKey(), entry.getValue()));
    }
    return Map.copyOf(settings);
  }

  /**
   * {@code spark.launch-settings}: Spark settings a job sets on the session it creates, each a {@code spark.*} key
   * and a scalar value.
   */
  private static Map<String, String> sparkLaunchSettings(Config c) {
    Map<String, String> settings = new HashMap<>();
    for (Map.Entry<String, ConfigValue> entry : c.getObject("spark.launch-settings").entrySet()) {
      if (!entry.getKey().startsWith("spark.")) {
        throw new UsageException("Cannot use shoplake.spark.launch-settings \"" + entry.getKey()
            + "\": expected a Spark setting (spark.*)");
      }
      settings.put(entry.getKey(), scalar("spark.launch-settings", entry.getKey(), entry.getValue()));
    }
    return Map.copyOf(settings);
  }

  /** The text of a Spark setting's value, which must be a string, number or boolean. */
  private static String scalar(String path, String key, ConfigValue value) {
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
        || value.valueType() == ConfigValueType.NULL) {
      throw new UsageException("Cannot use shoplake." + path + " \"" + key + "\" = "
          + value.render(ConfigRenderOptions.concise()) + ": expected a string, number or boolean");
    }
    return String.valueOf(value.unwrapped());
  }

  /** The subtrees whose keys are not declared in reference.conf: the quality checks per dataset, Spark's settings. */
  static final List<String> OPEN_SUBTREES = List.of("shoplake.quality.datasets", "shoplake.spark.sql-settings",
      "shoplake.spark.launch-settings");

  /** Every leaf of {@code config} must be declared in {@code reference}, with a compatible type. */
  static void checkKnownKeys(Config config, Config reference, String origin) {
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
      String key = entry.getKey();
      if (OPEN_SUBTREES.stream().anyMatch(open -> key.startsWith(open + "."))) {
        // Open on purpose (an environment may add a dataset, a check or a Spark setting); checked where parsed.
        continue;
      }
      if (!reference.hasPathOrNull(key)) {
        unknown.add(key);
        continue;
      }
      ConfigValueType expected = reference.getValue(key).valueType();
      ConfigValueType actual = entry.getValue().valueType();
      if (!compatible(expected, actual, entry.getValue())) {
        throw new UsageException("Cannot load configuration: " + origin + " sets " + key + " to "
            + entry.getValue().render() + " but it must be " + expected.name().toLowerCase(Locale.ROOT));
      }
    }
    if (!unknown.isEmpty()) {
      throw new UsageException("Cannot load configuration: " + origin + " sets unknown key"
          + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (every key is declared in conf/reference.conf)");
    }
  }

  private static boolean compatible(ConfigValueType expected, ConfigValueType actual, ConfigValue value) {
    if (expected == actual) {
      return true;
    }
    // HOCON lets "8" stand for 8 and "true" for true: accept strings that convert.
    if (actual == ConfigValueType.STRING) {
      String text = String.valueOf(value.unwrapped()).trim();
      return switch (expected) {
        case NUMBER -> text.matches("-?\\d+(\\.\\d+)?");
        case BOOLEAN -> text.matches("(?i)true|false|yes|no|on|off");
        default -> false;
      };
    }
    // A number or boolean where a string is expected is rendered as text by HOCON.
    return expected == ConfigValueType.STRING
        && (actual == ConfigValueType.NUMBER || actual == ConfigValueType.BOOLEAN);
  }

  private static Config read(Optional<File> confDir, String name) {
    if (confDir.isPresent()) {
      File file = new File(confDir.get(), name);
      if (!file.isFile()) {
        throw new UsageException("Cannot load configuration: no file " + file);
      }
      return parse(() -> ConfigFactory.parseFile(file, strict()), file.toString());
    }
    String resource = "conf/" + name;
    return parse(
        () -> ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), resource, strict()),
        resource);
  }

  private static ConfigParseOptions strict() {
    return ConfigParseOptions.defaults().setAllowMissing(false);
  }

  private interface Parse {
    Config run();
  }

  private static Config parse(Parse parse, String origin) {
    try {
      return parse.run();
    } catch (ConfigException e) {
      throw new UsageException("Cannot parse " + origin + ": " + oneLine(e.getMessage()), e);
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Refuses a lake root that would land somewhere the user did not mean, before anything is written: a leading
   * {@code ~} (only a shell expands it, and not in quotes or a config file: the lake became a folder named
   * {@code ~} under the working folder) and a {@code file:} URI with a relative path ({@code file:lake}, which
   * Hadoop resolves against a folder of its own, not the working folder). Refuses a root holding a glob character
   * too: the jobs read the lake's own datasets by their folder's path, which Spark expands as a pattern (the run
   * then failed with "Path does not exist" on folders that were there). Raw file names may hold them
   * ({@link LiteralPaths}); the root is the user's choice, so a one-line refusal costs nothing.
   */
  static void checkLakeRoot(String root) {
    if (root.startsWith("~")) {
      throw new UsageException("Cannot use lake root '" + root + "': '~' is expanded only by a shell, and not inside"
          + " quotes or a config file; give the full path");
    }
    if (root.startsWith("file:") && !root.startsWith("file:/")) {
      throw new UsageException("Cannot use lake root '" + root + "': a file: URI takes an absolute path (file:///...);"
          + " or give a plain path");
    }
    if (LiteralPaths.hasGlobCharacter(root)) {
      throw new UsageException("Cannot use lake root '" + root + "': Spark reads a path holding any of { } [ ] * ? \\"
          + " as a pattern, so the jobs would not find the lake's own folders; choose a folder without them");
    }
  }
}
