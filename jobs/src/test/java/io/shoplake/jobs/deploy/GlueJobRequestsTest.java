package io.shoplake.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.jobs.JobCatalog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Glue requests of every environment, without AWS and without Spark: valid JSON in the shape
 * CreateJob and UpdateJob take, one job per catalog job, each main class there with a main method, the
 * default arguments (with those Glue adds to every run) accepted by the jobs' own argument and
 * configuration checks, and nothing of this machine or of an account in them.
 */
class GlueJobRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An AWS account id, an access key id, a path of this machine. */
  private static final Pattern FORBIDDEN = Pattern.compile("\\b\\d{12}\\b|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
      + "|(?i)password|secret-access|/work/|/tmp/|/root/|/home/");

  @Test
  void everyEnvironmentGetsOneValidRequestPerCatalogJob() throws Exception {
    for (String env : GlueJobRequests.ENVIRONMENTS) {
      List<GlueJobRequests.Request> requests = GlueJobRequests.build(env);
      assertEquals(new TreeSet<>(JobCatalog.jobNames()),
          new TreeSet<>(requests.stream().map(GlueJobRequests.Request::job).toList()), env);
      for (GlueJobRequests.Request r : requests) {
        JsonNode create = JSON.readTree(GlueJobRequests.json(r.create()));
        JsonNode update = JSON.readTree(GlueJobRequests.json(r.update()));
        assertEquals(env + "-shoplake-" + r.job(), create.path("Name").asText());
        assertEquals(create.path("Name").asText(), update.path("JobName").asText());
        assertFalse(update.path("JobUpdate").has("Name") || update.path("JobUpdate").has("Tags"),
            "UpdateJob takes neither a name nor tags in JobUpdate");
        assertEquals("glueetl", create.path("Command").path("Name").asText());
        assertEquals("5.1", create.path("GlueVersion").asText());
        assertEquals(1, create.path("ExecutionProperty").path("MaxConcurrentRuns").asInt());
        assertEquals(0, create.path("MaxRetries").asInt(), "retries live in the state machine");
        assertTrue(create.path("NumberOfWorkers").asInt() >= 2);
        JsonNode arguments = create.path("DefaultArguments");
        assertEquals("scala", arguments.path("--job-language").asText());
        assertEquals(env, arguments.path("--env").asText());
        assertEquals("true", arguments.path("--enable-glue-datacatalog").asText());
        assertTrue(arguments.path("--extra-jars").asText().startsWith("s3://" + env + "-shoplake-artifacts/"));
        assertMainClass(arguments.path("--class").asText());
        assertAcceptedByTheJob(r, arguments);
        for (String text : List.of(GlueJobRequests.json(r.create()), GlueJobRequests.json(r.update()))) {
          assertFalse(FORBIDDEN.matcher(text).find(), r.job() + " " + env + ":\n" + text);
          assertFalse(text.contains(System.getProperty("user.dir")), text);
        }
      }
    }
  }

  @Test
  void onlyTheJdbcJobUsesAConnection() {
    for (GlueJobRequests.Request r : GlueJobRequests.build("prod")) {
      Object connections = r.create().get("Connections");
      if (r.job().equals("jdbc-extract")) {
        assertEquals(Map.of("Connections", List.of("prod-shoplake-stg-core")), connections);
      } else {
        assertEquals(null, connections, r.job());
      }
    }
  }

  private static void assertMainClass(String name) throws ClassNotFoundException {
    Class<?> main = Class.forName(name);
    Method method;
    try {
      method = main.getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(name + " has no main(String[])", e);
    }
    assertTrue(Modifier.isStatic(method.getModifiers()), name);
  }

  /** As Glue starts a run: the default arguments plus what it adds, through the jobs' own checks. */
  private static void assertAcceptedByTheJob(GlueJobRequests.Request r, JsonNode defaults) {
    List<String> args = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      args.add(e.getKey());
      args.add(e.getValue().asText());
    }
    args.addAll(List.of("--JOB_NAME", r.glueName(), "--JOB_ID", "j_0123abcd", "--JOB_RUN_ID", "jr_0123abcd",
        "--TempDir", "s3://aws-glue-assets/temporary/", "--job-bookmark-option", "job-bookmark-disable",
        "--enable-job-insights"));
    if (r.job().equals("ingest")) {
      args.addAll(List.of("--dataset", "orders")); // ingest is started per dataset, with the run's arguments
    }
    JobArguments parsed = JobArguments.parse(args.toArray(new String[0]));
    assertEquals(r.create().get("Name"), parsed.glueJobName().orElseThrow());
    io.shoplake.common.config.LakeConfig config = ConfigLoader.load(parsed);
    io.shoplake.common.config.JobOption.checkAll(JobCatalog.find(r.job()).orElseThrow().options(config), parsed);
  }
}
