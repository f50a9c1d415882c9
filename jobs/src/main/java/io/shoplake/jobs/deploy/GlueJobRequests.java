package io.shoplake.jobs.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.jobs.JobCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the AWS Glue requests that deploy every job of the catalog ({@link JobCatalog}) to one
 * environment, from the one definition {@code deploy/glue-jobs.conf} (packaged in the jar): per job a
 * CreateJob request and the UpdateJob request for a job that exists, in the shape {@code aws glue
 * create-job --cli-input-json} reads ({@link DeployPlan} writes them). No AWS call is made here, and
 * nothing of this machine (paths, user) or of an account (ids, keys) goes into a request: the role and
 * buckets are named by the {env}-{project}-{resource} convention.
 *
 * <p>Retries: every job has {@code MaxRetries} 0. Glue would restart a failed run at once, whatever the
 * cause, and a layer there would multiply with the others. A run that failed for a transient reason is
 * run again inside the job's process, with backoff (the main's {@code Launch}, the pipeline's rule);
 * the state machine retries, with backoff, only Glue's own service errors ({@link StateMachineDefinition}).
 */
public final class GlueJobRequests {
  public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
  private static final String DEFINITION = "deploy/glue-jobs.conf";

  private GlueJobRequests() {}

  /** One job's requests: its Glue name and the two request documents. */
  public record Request(String job, String glueName, Map<String, Object> create, Map<String, Object> update) {}

  /** The requests of every catalog job for {@code env}; a definition that misses or adds a job is refused. */
  public static List<Request> build(String env) {
    LakeConfig lake = ConfigLoader.load(JobArguments.parse("--env", env));
    Config glue = definition().getConfig("glue");
    Config defaults = glue.getConfig("defaults");
    Set<String> defined = new TreeSet<>(glue.getConfig("jobs").root().keySet());
    Set<String> catalog = new TreeSet<>(JobCatalog.jobNames());
    if (!defined.equals(catalog)) {
      throw new UsageException("Cannot build the Glue jobs: " + DEFINITION + " defines " + defined
          + " but the jar's catalog has " + catalog);
    }
    AwsNames names = AwsNames.of(lake);
    String artifacts = "s3://" + names.artifactsBucket();
    List<Request> requests = new ArrayList<>();
    for (String job : catalog) {
      Config entry = glue.getConfig("jobs").getConfig(quoted(job)).withFallback(defaults);
      try {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("--job-language", "scala");
        arguments.put("--class", entry.getString("class"));
        arguments.put("--extra-jars", artifacts + "/jars/shoplake-jobs.jar");
        arguments.put("--env", env);
        arguments.put("--enable-glue-datacatalog", "true");
        arguments.put("--enable-metrics", "true");
        arguments.put("--enable-continuous-cloudwatch-log", "true");
        entry.getConfig("arguments").root().unwrapped().forEach((k, v) -> arguments.put(k, String.valueOf(v)));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Description", "shoplake " + job + " (" + env + "), main class " + entry.getString("class"));
        settings.put("Role", names.role("glue-job"));
        settings.put("GlueVersion", glue.getString("version"));
        settings.put("Command", Map.of("Name", "glueetl", "ScriptLocation", artifacts + "/glue/placeholder.scala"));
        settings.put("DefaultArguments", arguments);
        settings.put("ExecutionProperty", Map.of("MaxConcurrentRuns", 1));
        settings.put("MaxRetries", 0);
        settings.put("Timeout", entry.getInt("timeout-minutes"));
        settings.put("WorkerType", entry.getString("workers." + env + ".type"));
        settings.put("NumberOfWorkers", entry.getInt("workers." + env + ".count"));
        String connection = entry.getString("connection");
        if (!connection.isEmpty()) {
          settings.put("Connections", Map.of("Connections", List.of(names.prefix() + "-" + connection)));
        }
        String name = names.glueJob(job);
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("Name", name);
        create.putAll(settings);
        create.put("Tags", Map.of("project", lake.project(), "env", env, "job", job));
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("JobName", name);
        update.put("JobUpdate", settings);
        requests.add(new Request(job, name, create, update));
      } catch (ConfigException e) {
        throw new UsageException("Cannot build the Glue job " + job + " from " + DEFINITION + ": " + e.getMessage(), e);
      }
    }
    return requests;
  }

  /** The request as formatted JSON. */
  public static String json(Map<String, Object> request) {
    return DeployJson.write(request);
  }

  /** The state machine's settings of the definition ({@code glue.state-machine}). */
  static Config stateMachineSettings() {
    return definition().getConfig("glue.state-machine");
  }

  private static Config definition() {
    Config parsed = ConfigFactory.parseResources(GlueJobRequests.class.getClassLoader(), DEFINITION);
    if (parsed.isEmpty()) {
      throw new UncheckedIOException(new IOException("no " + DEFINITION + " in the jar"));
    }
    return parsed.resolve();
  }

  private static String quoted(String key) {
    return "\"" + key + "\"";
  }
}
