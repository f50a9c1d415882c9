package io.shoplake.jobs.deploy;

import io.shoplake.jobs.pipeline.PipelineStep;
import io.shoplake.jobs.pipeline.StepGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Step Functions state machine (Amazon States Language, JSONata) of the pipeline, built from the
 * same {@link StepGraph} the local pipeline runs: one {@code glue:startJobRun.sync} task per step, a
 * Parallel state where the graph has parallel branches, then a success notification. Every task
 * passes {@code --run-date} from the execution input and catches every error into one SNS
 * notification that names the step and the cause, then a Fail state.
 *
 * <p>Input: {@code {"run_date": "2026-12-01"}} (a rerun or backfill), or {@code {"scheduled_time":
 * "2026-12-02T02:00:00Z"}} from the daily schedule, which runs the day before the scheduled time.
 *
 * <p>Retries: a task retries, with exponential backoff and jitter, only the errors of Glue's own
 * service that a later call can pass (too many concurrent runs, an internal error, a time-out of the
 * start call). A job run that failed is not retried here: Step Functions sees only "the run failed",
 * not why, and a data or usage error would fail again. The job itself retries a run that failed for a
 * transient reason, with the pipeline's backoff (one layer, which knows the cause); Glue's MaxRetries
 * is 0 so that the layers never multiply.
 *
 * <p>Account id and region are left as {@code ${AWS_ACCOUNT_ID}} and {@code ${AWS_REGION}}, filled in
 * by scripts/deploy-glue.sh when it sends the request, so nothing of an account is in the repository.
 */
public final class StateMachineDefinition {
  static final String GLUE_SYNC = "arn:aws:states:::glue:startJobRun.sync";
  static final String SNS_PUBLISH = "arn:aws:states:::sns:publish";
  static final List<String> RETRIED_GLUE_ERRORS = List.of("Glue.ConcurrentRunsExceededException",
      "Glue.InternalServiceException", "Glue.OperationTimeoutException", "Glue.ResourceNumberLimitExceededException");
  private static final String NOTIFY_FAILURE = "notify failure";
  private static final String NOTIFY_SUCCESS = "notify success";
  private static final String FAILED = "failed";
  private static final String CHECK_INPUT = "check input";
  private static final String RUN_DATE = "run date";

  private StateMachineDefinition() {}

  /**
   * The definition for {@code graph}; {@code glueJobOf} names the Glue job that runs a step's job, and
   * {@code topicArn} is the SNS topic for the notifications.
   */
  public static Map<String, Object> build(StepGraph graph, Function<PipelineStep, String> glueJobOf, String topicArn,
      String comment) {
    Map<String, PipelineStep> byName = new LinkedHashMap<>();
    graph.steps().forEach(s -> byName.put(s.name(), s));
    List<List<List<String>>> stages = graph.stages();
    List<String> stageStates = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      List<List<String>> stage = stages.get(i);
      stageStates.add(isSingleTask(stage) ? stage.get(0).get(0)
          : "stage " + (i + 1) + " in parallel (" + stage.size() + " branches)");
    }

    Map<String, Object> states = new LinkedHashMap<>();
    states.put(RUN_DATE, runDateState());
    states.put(CHECK_INPUT, checkInputState(stageStates.isEmpty() ? NOTIFY_SUCCESS : stageStates.get(0)));
    for (int i = 0; i < stages.size(); i++) {
      String next = i + 1 < stages.size() ? stageStates.get(i + 1) : NOTIFY_SUCCESS;
      List<List<String>> stage = stages.get(i);
      if (isSingleTask(stage)) {
        PipelineStep step = byName.get(stage.get(0).get(0));
        states.put(step.name(), glueTask(step, glueJobOf, next, NOTIFY_FAILURE));
      } else {
        states.put(stageStates.get(i), parallel(stageStates.get(i), stage, byName, glueJobOf, next));
      }
    }
    states.put(NOTIFY_SUCCESS, notifySuccess(topicArn));
    states.put(NOTIFY_FAILURE, notifyFailure(topicArn));
    states.put(FAILED, Map.of("Type", "Fail", "Error", "{% $error %}", "Cause", "{% $failed_step & ': ' & $cause %}"));
    states.put("bad input", Map.of("Type", "Fail", "Error", "shoplake.BadInput",
        "Cause", "Expected {\"run_date\": \"YYYY-MM-DD\"} or {\"scheduled_time\": \"<ISO-8601 instant>\"}"));

    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("Comment", comment);
    definition.put("QueryLanguage", "JSONata");
    definition.put("StartAt", RUN_DATE);
    definition.put("States", states);
    return definition;
  }

  private static boolean isSingleTask(List<List<String>> stage) {
    return stage.size() == 1 && stage.get(0).size() == 1;
  }

  /** The run date: the input's, or the day before the schedule's time (the day that is complete). */
  private static Map<String, Object> runDateState() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Type", "Pass");
    state.put("Assign", Map.of("run_date", "{% $exists($states.input.run_date) ? $string($states.input.run_date)"
        + " : $exists($states.input.scheduled_time) ? $fromMillis($toMillis($states.input.scheduled_time) - 86400000,"
        + " '[Y0001]-[M01]-[D01]') : '' %}"));
    state.put("Next", CHECK_INPUT);
    return state;
  }

  private static Map<String, Object> checkInputState(String first) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("Condition", "{% $contains($run_date, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/) %}");
    choice.put("Next", first);
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Type", "Choice");
    state.put("Choices", List.of(choice));
    state.put("Default", "bad input");
    return state;
  }

  private static Map<String, Object> glueTask(PipelineStep step, Function<PipelineStep, String> glueJobOf,
      String next, String onError) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("--run-date", "{% $run_date %}");
    for (int i = 0; i + 1 < step.arguments().size(); i += 2) {
      arguments.put(step.arguments().get(i), step.arguments().get(i + 1));
    }
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("Type", "Task");
    task.put("Comment", "step " + step.name() + " of the pipeline");
    task.put("Resource", GLUE_SYNC);
    task.put("Arguments", Map.of("JobName", glueJobOf.apply(step), "Arguments", arguments));
    task.put("Output", "{% $states.input %}");
    task.put("Retry", List.of(retry(RETRIED_GLUE_ERRORS)));
    task.put("Catch", List.of(catchInto(onError, "'" + step.name() + "'")));
    task.put("Next", next);
    return task;
  }

  /**
   * Branch tasks cannot reach a state outside their branch: each catches into its branch's Fail state,
   * which fails the Parallel with the step's name in the cause; the Parallel's Catch then notifies once.
   */
  private static Map<String, Object> parallel(String name, List<List<String>> stage, Map<String, PipelineStep> byName,
      Function<PipelineStep, String> glueJobOf, String next) {
    List<Object> branches = new ArrayList<>();
    for (List<String> branch : stage) {
      Map<String, Object> states = new LinkedHashMap<>();
      String branchFailed = "failed in " + branch.get(0) + " branch";
      for (int i = 0; i < branch.size(); i++) {
        PipelineStep step = byName.get(branch.get(i));
        Map<String, Object> task = glueTask(step, glueJobOf, i + 1 < branch.size() ? branch.get(i + 1) : null,
            branchFailed);
        if (i + 1 == branch.size()) {
          task.remove("Next");
          task.put("End", true);
        }
        states.put(step.name(), task);
      }
      states.put(branchFailed, Map.of("Type", "Fail", "Error", "{% $states.input.error %}",
          "Cause", "{% $states.input.step & ': ' & $states.input.cause %}"));
      branches.add(Map.of("StartAt", branch.get(0), "States", states));
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Type", "Parallel");
    state.put("Comment", "branches: " + stage);
    state.put("Branches", branches);
    state.put("Output", "{% $states.input %}");
    state.put("Catch", List.of(catchInto(NOTIFY_FAILURE, "'" + name + "'")));
    state.put("Next", next);
    return state;
  }

  private static Map<String, Object> retry(List<String> errors) {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("ErrorEquals", errors);
    retry.put("IntervalSeconds", 60);
    retry.put("BackoffRate", 2);
    retry.put("MaxAttempts", 3);
    retry.put("MaxDelaySeconds", 900);
    retry.put("JitterStrategy", "FULL");
    return retry;
  }

  /** Catches every error into {@code next}, keeping the step, the error's name and its cause. */
  private static Map<String, Object> catchInto(String next, String stepExpression) {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("step", "{% " + stepExpression + " %}");
    output.put("error", "{% $states.errorOutput.Error %}");
    output.put("cause", "{% $exists($states.errorOutput.Cause) ? $states.errorOutput.Cause : '' %}");
    Map<String, Object> catcher = new LinkedHashMap<>();
    catcher.put("ErrorEquals", List.of("States.ALL"));
    // Output for a branch's Fail state; the variables for the notification and the final Fail state.
    catcher.put("Output", output);
    catcher.put("Assign", Map.of("failed_step", output.get("step"), "error", output.get("error"),
        "cause", output.get("cause")));
    catcher.put("Next", next);
    return catcher;
  }

  private static Map<String, Object> notifySuccess(String topicArn) {
    Map<String, Object> state = publish(topicArn, "{% 'shoplake pipeline succeeded for ' & $run_date %}",
        "{% 'Execution ' & $states.context.Execution.Name & ': every step succeeded for run date ' & $run_date"
            + " & '.' %}");
    state.put("Catch", List.of(catchInto(NOTIFY_FAILURE, "'" + NOTIFY_SUCCESS + "'")));
    state.put("End", true);
    return state;
  }

  /** One message for any failure; the execution then ends in the Fail state with the step's error. */
  private static Map<String, Object> notifyFailure(String topicArn) {
    Map<String, Object> state = publish(topicArn,
        "{% 'shoplake pipeline FAILED at ' & $substring($failed_step, 0, 40) & ' for ' & $run_date %}",
        "{% 'Execution ' & $states.context.Execution.Name & ' failed at step ' & $failed_step"
            + " & ' (run date ' & $run_date & '): ' & $error & ': ' & $cause"
            + " & '. Fix the cause, then start the execution again with {\"run_date\": \"' & $run_date & '\"}:'"
            + " & ' the steps that succeeded read nothing new.' %}");
    // A notification that cannot be sent must not hide the failure: on to the Fail state regardless.
    state.put("Catch", List.of(Map.of("ErrorEquals", List.of("States.ALL"), "Next", FAILED)));
    state.put("Next", FAILED);
    return state;
  }

  /** An SNS publish task, retried on SNS's own transient errors. */
  private static Map<String, Object> publish(String topicArn, String subject, String message) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Type", "Task");
    state.put("Resource", SNS_PUBLISH);
    state.put("Arguments", Map.of("TopicArn", topicArn, "Subject", subject, "Message", message));
    state.put("Retry", List.of(retry(List.of("SNS.ThrottledException", "SNS.InternalErrorException"))));
    return state;
  }
}
