package io.shoplake.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.jobs.JobCatalog;
import io.shoplake.jobs.pipeline.LocalPipeline;
import io.shoplake.jobs.pipeline.PipelineStep;
import io.shoplake.jobs.pipeline.StepGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole deployment of every environment as scripts/deploy-glue.sh writes it: every file valid
 * JSON with nothing of an account or this machine in it; the state machine valid ASL (asl-validator,
 * through scripts/validate-asl.sh), with one task per step of the local pipeline, each naming the Glue
 * job of its step's job, every edge of the step graph kept in the order of its states, a Catch on
 * every task and Retry only for Glue's service errors.
 */
class DeployPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FORBIDDEN = Pattern.compile("\\b\\d{12}\\b|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
      + "|(?i)password|secret-access|/work/|/tmp/|/root/|/home/");

  @Test
  void everyEnvironmentIsWrittenWithValidDocumentsAndNothingOfAnAccount(@TempDir Path dir) throws Exception {
    List<Path> asl = new ArrayList<>();
    for (String env : GlueJobRequests.ENVIRONMENTS) {
      Path folder = dir.resolve(env);
      List<String> lines = DeployPlan.write(env, folder);
      assertEquals("artifacts s3://" + env + "-shoplake-artifacts", lines.get(0));
      assertEquals(3, lines.stream().filter(l -> l.startsWith("role ")).count());
      assertEquals(JobCatalog.jobNames().size(), lines.stream().filter(l -> l.startsWith("job ")).count());
      List<Path> files;
      try (Stream<Path> walk = Files.walk(folder)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      for (Path file : files) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (file.toString().endsWith(".json")) {
          JSON.readTree(text);
        } else {
          assertTrue(file.toString().endsWith(".sql") && !text.contains(";"), "one statement per file: " + file);
        }
        assertFalse(FORBIDDEN.matcher(text).find(), file + ":\n" + text);
        assertFalse(text.contains(dir.toString()) || text.contains(System.getProperty("user.dir")), file.toString());
      }
      asl.add(folder.resolve("state-machine/" + env + "-shoplake-pipeline.asl.json"));
      assertStateMachineIsThePipeline(env, JSON.readTree(asl.get(asl.size() - 1).toFile()));
      JsonNode create = JSON.readTree(folder.resolve("state-machine/" + env + "-shoplake-pipeline.create.json").toFile());
      assertEquals(JSON.readTree(asl.get(asl.size() - 1).toFile()), JSON.readTree(create.path("definition").asText()));
      JsonNode schedule = JSON.readTree(folder.resolve("scheduler/" + env + "-shoplake-daily.json").toFile());
      assertEquals("cron(0 2 * * ? *)", schedule.path("ScheduleExpression").asText());
      assertEquals("UTC", schedule.path("ScheduleExpressionTimezone").asText());
    }
    assertValidAsl(asl);
  }

  @Test
  void theListingNamesEachFileInOneWordWhereverTheFolderIs(@TempDir Path dir) throws Exception {
    // A clone under "My Projects": the deploy script splits each line at spaces, and its files were absolute.
    Path folder = dir.resolve("My Projects/shoplake/target/deploy/dev");
    List<String> lines = DeployPlan.write("dev", folder);
    Map<String, Integer> words = Map.of("artifacts", 2, "role", 4, "job", 5, "topic", 3, "state-machine", 5,
        "schedule", 3, "athena", 2, "named-query", 3);
    for (String line : lines) {
      String[] parts = line.split(" ");
      assertEquals(words.get(parts[0]), parts.length, line);
      for (String part : parts) {
        if (part.endsWith(".json") || part.endsWith(".sql")) {
          assertFalse(Path.of(part).isAbsolute(), line);
          assertTrue(Files.isRegularFile(folder.resolve(part)), part + " under " + folder);
        }
      }
    }
  }

  @Test
  void athenaGetsEveryDeclaredTableWithPartitionProjection(@TempDir Path dir) throws Exception {
    List<String> lines = DeployPlan.write("dev", dir);
    List<String> sql = lines.stream().filter(l -> l.startsWith("athena ")).map(l -> l.substring(7)).toList();
    assertEquals(2 + 2 * io.shoplake.common.catalog.LakeTables.all().size(), sql.size());
    assertEquals("CREATE DATABASE IF NOT EXISTS `processed_dev`", Files.readString(dir.resolve(sql.get(0))).trim());
    String reviews = Files.readString(dir.resolve("athena/09-table-processed_dev.reviews.sql"));
    assertTrue(reviews.startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `processed_dev`.`reviews` (\n  `review_id` string,"),
        reviews);
    for (String part : List.of("PARTITIONED BY (`year` int, `month` int, `day` int)", "STORED AS PARQUET",
        "LOCATION 's3://dev-shoplake-lake/processed/reviews/'", "'projection.enabled'='true'",
        "'storage.location.template'='s3://dev-shoplake-lake/processed/reviews/year=${year}/month=${month}/day=${day}'")) {
      assertTrue(reviews.contains(part), part + " in\n" + reviews);
    }
    String summary = Files.readString(dir.resolve("athena/" + String.format("%02d", sql.size() - 5)
        + "-table-curated_dev.customer_summary.sql"));
    assertFalse(summary.contains("PARTITIONED BY") || summary.contains("projection"), summary);
    assertEquals(DeployPlan.NAMED_QUERIES.size(), lines.stream().filter(l -> l.startsWith("named-query ")).count());
  }

  @Test
  void theGlueJobPolicyIsScopedToTheEnvironment(@TempDir Path dir) throws Exception {
    DeployPlan.write("prod", dir);
    JsonNode policy = JSON.readTree(dir.resolve("iam/prod-shoplake-glue-job.policy.json").toFile());
    Map<String, JsonNode> bySid = new LinkedHashMap<>();
    policy.path("Statement").forEach(s -> bySid.put(s.path("Sid").asText(), s));
    assertEquals("arn:aws:s3:::prod-shoplake-lake/*", bySid.get("LakeReadWrite").path("Resource").get(0).asText());
    assertEquals("arn:aws:secretsmanager:${AWS_REGION}:${AWS_ACCOUNT_ID}:secret:prod/shoplake/pii-hash-key-??????",
        bySid.get("Secrets").path("Resource").get(0).asText());
    for (JsonNode statement : policy.path("Statement")) {
      for (JsonNode action : statement.path("Action")) {
        assertFalse(action.asText().endsWith("*"), "no wildcard action: " + action);
      }
      boolean unscoped = statement.path("Resource").toString().equals("[\"*\"]");
      assertTrue(!unscoped || List.of("Metrics", "ConnectionNetwork").contains(statement.path("Sid").asText()),
          statement.toString());
    }
    JsonNode scheduler = JSON.readTree(dir.resolve("iam/prod-shoplake-scheduler.policy.json").toFile());
    assertEquals("[\"states:StartExecution\"]", scheduler.path("Statement").get(0).path("Action").toString());
  }

  private static void assertStateMachineIsThePipeline(String env, JsonNode definition) {
    LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", env));
    StepGraph graph = StepGraph.of(LocalPipeline.steps(config));
    // Every state reachable from StartAt, in order of execution: top-level position, branch, index in branch.
    Map<String, int[]> at = new LinkedHashMap<>();
    Map<String, JsonNode> tasks = new LinkedHashMap<>();
    String state = definition.path("StartAt").asText();
    int position = 0;
    while (!state.isEmpty()) {
      JsonNode node = definition.path("States").path(state);
      if (node.path("Type").asText().equals("Parallel")) {
        int branch = 0;
        for (JsonNode b : node.path("Branches")) {
          int index = 0;
          for (String inner = b.path("StartAt").asText(); !inner.isEmpty(); ) {
            JsonNode task = b.path("States").path(inner);
            at.put(inner, new int[] {position, branch, index++});
            tasks.put(inner, task);
            inner = task.path("Next").asText("");
          }
          branch++;
        }
        assertCatches(state, node);
      } else {
        at.put(state, new int[] {position, 0, 0});
        if (node.path("Resource").asText().equals(StateMachineDefinition.GLUE_SYNC)) {
          tasks.put(state, node);
        }
      }
      if (node.path("Type").asText().equals("Choice")) {
        state = node.path("Choices").get(0).path("Next").asText();
      } else {
        state = node.path("Next").asText("");
      }
      position++;
    }
    assertEquals(graph.steps().stream().map(PipelineStep::name).toList(), List.copyOf(tasks.keySet()), env);
    for (PipelineStep step : graph.steps()) {
      JsonNode task = tasks.get(step.name());
      assertEquals(env + "-shoplake-" + step.job().name(), task.path("Arguments").path("JobName").asText());
      assertTrue(JobCatalog.jobNames().contains(step.job().name()), step.name());
      JsonNode arguments = task.path("Arguments").path("Arguments");
      assertEquals("{% $run_date %}", arguments.path("--run-date").asText());
      for (int i = 0; i + 1 < step.arguments().size(); i += 2) {
        assertEquals(step.arguments().get(i + 1), arguments.path(step.arguments().get(i)).asText());
      }
      assertCatches(step.name(), task);
      List<String> retried = new ArrayList<>();
      task.path("Retry").forEach(r -> r.path("ErrorEquals").forEach(e -> retried.add(e.asText())));
      assertEquals(StateMachineDefinition.RETRIED_GLUE_ERRORS, retried, "no retry of a failed job run");
      for (String before : step.predecessors()) {
        int[] a = at.get(before);
        int[] b = at.get(step.name());
        assertTrue(a[0] < b[0] || (a[0] == b[0] && a[1] == b[1] && a[2] < b[2]), before + " -> " + step.name());
      }
    }
    Iterator<String> names = definition.path("States").fieldNames();
    List<String> all = new ArrayList<>();
    names.forEachRemaining(all::add);
    assertTrue(all.containsAll(List.of("notify success", "notify failure", "failed")), all.toString());
  }

  private static void assertCatches(String name, JsonNode state) {
    JsonNode catcher = state.path("Catch").get(0);
    assertEquals("[\"States.ALL\"]", catcher.path("ErrorEquals").toString(), name);
  }

  private static void assertValidAsl(List<Path> files) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "scripts", "validate-asl.sh").toString()));
    files.forEach(f -> command.add(f.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "asl-validator did not end");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    assertEquals(files.size(), output.lines().filter(l -> l.contains("is valid")).count(), output);
  }
}
