package io.shoplake.jobs.deploy;

import com.typesafe.config.Config;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.job.ErrorMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** Writes the deployment of {@code env} under {@code folder}; returns the listing lines. */
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
      lines.add(String.join(" ", "role", role.name(), trust.toString(), policy.toString()));
    }
    for (GlueJobRequests.Request job : jobs) {
      Path create = write(folder.resolve("glue-jobs/" + job.job() + ".create.json"), job.create());
      Path update = write(folder.resolve("glue-jobs/" + job.job() + ".update.json"), job.update());
      lines.add(String.join(" ", "job", job.job(), job.glueName(), create.toString(), update.toString()));
    }
    Path topic = write(folder.resolve("sns/" + names.topic() + ".create.json"), PipelineRequests.createTopic(names));
    lines.add(String.join(" ", "topic", names.topic(), topic.toString()));

    Map<String, Object> definition = PipelineRequests.definition(config, settings.getBoolean("extract-stg-core"));
    Path asl = write(folder.resolve("state-machine/" + names.stateMachine() + ".asl.json"), definition);
    Path create = write(folder.resolve("state-machine/" + names.stateMachine() + ".create.json"),
        PipelineRequests.createStateMachine(names, definition));
    Path update = write(folder.resolve("state-machine/" + names.stateMachine() + ".update.json"),
        PipelineRequests.updateStateMachine(names, definition));
    lines.add(String.join(" ", "state-machine", names.stateMachine(), asl.toString(), create.toString(),
        update.toString()));
    Path schedule = write(folder.resolve("scheduler/" + names.schedule() + ".json"),
        PipelineRequests.schedule(names, settings.getString("schedule")));
    lines.add(String.join(" ", "schedule", names.schedule(), schedule.toString()));
    return lines;
  }

  private static Path write(Path file, Object document) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, DeployJson.write(document), StandardCharsets.UTF_8);
    return file.toAbsolutePath();
  }
}
