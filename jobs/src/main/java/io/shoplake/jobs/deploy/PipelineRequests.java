package io.shoplake.jobs.deploy;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.jobs.JobCatalog;
import io.shoplake.jobs.pipeline.LocalPipeline;
import io.shoplake.jobs.pipeline.PipelineStep;
import io.shoplake.jobs.pipeline.StepGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests that deploy the orchestration of one environment: the state machine (its ASL
 * definition and the CreateStateMachine / UpdateStateMachine requests), its SNS topic and the daily
 * EventBridge Scheduler schedule that starts it. The steps are the local pipeline's
 * ({@link LocalPipeline#steps}), so neither keeps a list of its own.
 */
public final class PipelineRequests {
  private PipelineRequests() {}

  /** The state machine's definition for {@code config}'s environment. */
  public static Map<String, Object> definition(LakeConfig config, boolean extractStgCore) {
    AwsNames names = AwsNames.of(config);
    StepGraph graph = StepGraph.of(LocalPipeline.steps(config, extractStgCore));
    List<String> jobs = JobCatalog.jobNames();
    for (PipelineStep step : graph.steps()) {
      if (!jobs.contains(step.job().name())) {
        throw new UsageException("Cannot build the state machine: step '" + step.name() + "' runs job '"
            + step.job().name() + "', which is not in the jar's catalog " + jobs);
      }
    }
    return StateMachineDefinition.build(graph, step -> names.glueJob(step.job().name()), names.topicArn(),
        "shoplake pipeline (" + config.environment() + "), generated from the local pipeline's step graph by "
            + "scripts/deploy-glue.sh; do not edit by hand");
  }

  public static Map<String, Object> createStateMachine(AwsNames names, Map<String, Object> definition) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", names.stateMachine());
    request.put("definition", DeployJson.compact(definition));
    request.put("roleArn", names.roleArn("pipeline"));
    request.put("type", "STANDARD");
    request.put("loggingConfiguration", logging(names));
    request.put("tags", List.of(Map.of("key", "project", "value", names.project()),
        Map.of("key", "env", "value", names.env())));
    return request;
  }

  public static Map<String, Object> updateStateMachine(AwsNames names, Map<String, Object> definition) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("stateMachineArn", names.stateMachineArn());
    request.put("definition", DeployJson.compact(definition));
    request.put("roleArn", names.roleArn("pipeline"));
    request.put("loggingConfiguration", logging(names));
    return request;
  }

  private static Map<String, Object> logging(AwsNames names) {
    String group = "arn:aws:logs:" + AwsNames.REGION + ":" + AwsNames.ACCOUNT + ":log-group:/aws/vendedlogs/states/"
        + names.stateMachine() + ":*";
    Map<String, Object> logging = new LinkedHashMap<>();
    logging.put("level", "ERROR");
    // Execution data carries run dates and error causes only, but no row of data ever goes to the logs.
    logging.put("includeExecutionData", false);
    logging.put("destinations", List.of(Map.of("cloudWatchLogsLogGroup", Map.of("logGroupArn", group))));
    return logging;
  }

  public static Map<String, Object> createTopic(AwsNames names) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("Name", names.topic());
    request.put("Tags", List.of(Map.of("Key", "project", "Value", names.project()),
        Map.of("Key", "env", "Value", names.env())));
    return request;
  }

  /** The daily schedule (create or update take the same fields). */
  public static Map<String, Object> schedule(AwsNames names, String expression) {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("Arn", names.stateMachineArn());
    target.put("RoleArn", names.roleArn("scheduler"));
    target.put("Input", "{\"scheduled_time\": \"<aws.scheduler.scheduled-time>\"}");
    target.put("RetryPolicy", Map.of("MaximumRetryAttempts", 3, "MaximumEventAgeInSeconds", 3600));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("Name", names.schedule());
    request.put("Description", "Starts " + names.stateMachine() + " for the day before, daily");
    request.put("ScheduleExpression", expression);
    request.put("ScheduleExpressionTimezone", "UTC");
    request.put("FlexibleTimeWindow", Map.of("Mode", "OFF"));
    request.put("State", "ENABLED");
    request.put("Target", target);
    return request;
  }
}
