package io.shoplake.jobs.deploy;

import com.typesafe.config.Config;
import io.shoplake.common.catalog.LakeTable;
import io.shoplake.common.catalog.LakeTables;
import io.shoplake.common.catalog.TableDdl;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.job.ErrorMessages;
import io.shoplake.common.lake.LakePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every document of one environment's deployment, and lists them for scripts/deploy-glue.sh:
 * {@code DeployPlan <env> <folder>}. Nothing is sent from here; the script sends (or, with
 * {@code --dry-run}, only shows) what this wrote. One line per item on stdout, fields separated by a
 * space, paths absolute:
 * <pre>
 * artifacts &lt;s3 uri&gt;
 * role &lt;name&gt; &lt;trust policy&gt; &lt;inline policy&gt;
 * job &lt;job&gt; &lt;glue name&gt; &lt;create request&gt; &lt;update request&gt;
 * topic &lt;name&gt; &lt;create request&gt;
 * state-machine &lt;name&gt; &lt;asl&gt; &lt;create request&gt; &lt;update request&gt;
 * schedule &lt;name&gt; &lt;request&gt;
 * athena &lt;one SQL statement&gt;                (in order: databases, then per table drop and create)
 * named-query &lt;name&gt; &lt;CreateNamedQuery request&gt;
 * </pre>
 * Exit codes: 0 written, 1 the folder cannot be written, 2 a wrong argument or definition.
 */
public final class DeployPlan {
  private DeployPlan() {}

  public static void main(String[] args) {
    if (args.length != 2 || !GlueJobRequests.ENVIRONMENTS.contains(args[0])) {
      System.err.println("ERROR: usage: DeployPlan <dev|staging|prod> <output folder>");
      System.exit(2);
    }
    try {
      write(args[0], Path.of(args[1])).forEach(System.out::println);
    } catch (UsageException e) {
      System.err.println("ERROR deploy: " + ErrorMessages.oneLine(e));
      System.exit(2);
    } catch (IOException e) {
      System.err.println("ERROR deploy: Cannot write the deployment to " + args[1] + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Writes the deployment of {@code env} under {@code folder}; returns the listing lines, one request each, its
   * words separated by spaces and its files named relative to {@code folder} (so a folder whose path holds a
   * space, as a clone's may, still gives one word per file).
   */
  public static List<String> write(String env, Path folder) throws IOException {
    LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", env));
    AwsNames names = AwsNames.of(config);
    Config settings = GlueJobRequests.stateMachineSettings();
    List<GlueJobRequests.Request> jobs = GlueJobRequests.build(env);
    List<String> lines = new ArrayList<>();
    lines.add("artifacts s3://" + names.artifactsBucket());

    boolean anyConnection = jobs.stream().anyMatch(j -> j.create().containsKey("Connections"));
    for (IamPolicies.Role role : IamPolicies.roles(config, names, anyConnection)) {
      Path trust = write(folder.resolve("iam/" + role.name() + ".trust.json"), role.trust());
      Path policy = write(folder.resolve("iam/" + role.name() + ".policy.json"), role.policy());
      lines.add(String.join(" ", "role", role.name(), listed(folder, trust), listed(folder, policy)));
    }
    for (GlueJobRequests.Request job : jobs) {
      Path create = write(folder.resolve("glue-jobs/" + job.job() + ".create.json"), job.create());
      Path update = write(folder.resolve("glue-jobs/" + job.job() + ".update.json"), job.update());
      lines.add(String.join(" ", "job", job.job(), job.glueName(), listed(folder, create), listed(folder, update)));
    }
    Path topic = write(folder.resolve("sns/" + names.topic() + ".create.json"), PipelineRequests.createTopic(names));
    lines.add(String.join(" ", "topic", names.topic(), listed(folder, topic)));

    Map<String, Object> definition = PipelineRequests.definition(config, settings.getBoolean("extract-stg-core"));
    Path asl = write(folder.resolve("state-machine/" + names.stateMachine() + ".asl.json"), definition);
    Path create = write(folder.resolve("state-machine/" + names.stateMachine() + ".create.json"),
        PipelineRequests.createStateMachine(names, definition));
    Path update = write(folder.resolve("state-machine/" + names.stateMachine() + ".update.json"),
        PipelineRequests.updateStateMachine(names, definition));
    lines.add(String.join(" ", "state-machine", names.stateMachine(), listed(folder, asl), listed(folder, create),
        listed(folder, update)));
    Path schedule = write(folder.resolve("scheduler/" + names.schedule() + ".json"),
        PipelineRequests.schedule(names, settings.getString("schedule")));
    lines.add(String.join(" ", "schedule", names.schedule(), listed(folder, schedule)));

    // Athena: one statement per file (Athena runs one per query), databases first.
    LakePaths lake = new LakePaths("s3://" + names.lakeBucket());
    int order = 0;
    for (String zone : List.of("processed", "curated")) {
      lines.add("athena " + listed(folder, writeSql(folder.resolve(String.format("athena/%02d-database-%s.sql",
          order++, zone)), TableDdl.createDatabase(names.database(zone)))));
    }
    for (LakeTable table : LakeTables.all()) {
      String database = table.database(env);
      // Drop first (external: metadata only) so a changed declaration replaces the old columns.
      lines.add("athena " + listed(folder, writeSql(folder.resolve(String.format("athena/%02d-drop-%s.%s.sql",
          order++, database, table.name())), "DROP TABLE IF EXISTS `" + database + "`.`" + table.name() + "`")));
      lines.add("athena " + listed(folder, writeSql(folder.resolve(String.format("athena/%02d-table-%s.%s.sql",
          order++, database, table.name())), TableDdl.createTable(table, database, table.location(lake)))));
    }
    for (String query : NAMED_QUERIES) {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("Name", names.prefix() + "-" + query);
      request.put("Database", names.database("curated"));
      request.put("Description", "shoplake " + query.replace('_', ' ') + " (parameters: see the query's first lines)");
      request.put("QueryString", namedQuery(query));
      Path file = write(folder.resolve("athena/named-queries/" + query + ".json"), request);
      lines.add(String.join(" ", "named-query", names.prefix() + "-" + query, listed(folder, file)));
    }
    return lines;
  }

  /** The named Athena queries in the jar ({@code athena/queries/<name>.sql}), each with partition filters. */
  public static final List<String> NAMED_QUERIES = List.of("daily_revenue_by_category", "top_products",
      "conversion_funnel", "customer_lifetime_value");

  /** The text of named query {@code name}. */
  public static String namedQuery(String name) throws IOException {
    try (InputStream in = DeployPlan.class.getResourceAsStream("/athena/queries/" + name + ".sql")) {
      if (in == null) {
        throw new IOException("no athena/queries/" + name + ".sql in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code file}'s name relative to {@code folder}, with '/' between its parts, as the deploy script reads it. */
  private static String listed(Path folder, Path file) {
    return folder.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace('\\', '/');
  }

  private static Path writeSql(Path file, String statement) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, statement + "\n", StandardCharsets.UTF_8);
    return file.toAbsolutePath();
  }

  private static Path write(Path file, Object document) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, DeployJson.write(document), StandardCharsets.UTF_8);
    return file.toAbsolutePath();
  }
}
