package io.shoplake.jobs.deploy;

import io.shoplake.common.config.LakeConfig;
import java.net.URI;

/**
 * The names and ARNs of one environment's AWS resources, all following {env}-{project}-{resource}.
 * Account id and region stay placeholders ({@value #ACCOUNT}, {@value #REGION}) that
 * scripts/deploy-glue.sh fills in when it sends a request: the repository never holds an account id.
 */
public record AwsNames(String env, String project, String lakeBucket) {
  public static final String ACCOUNT = "${AWS_ACCOUNT_ID}";
  public static final String REGION = "${AWS_REGION}";

  /** The names of {@code config}'s environment; the lake bucket is the host of its lake root. */
  public static AwsNames of(LakeConfig config) {
    String bucket = URI.create(config.lakeRoot()).getHost();
    return new AwsNames(config.environment(), config.project(), bucket == null ? "" : bucket);
  }

  public String prefix() {
    return env + "-" + project;
  }

  public String glueJob(String job) {
    return prefix() + "-" + job;
  }

  public String artifactsBucket() {
    return prefix() + "-artifacts";
  }

  public String stateMachine() {
    return prefix() + "-pipeline";
  }

  public String stateMachineArn() {
    return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + stateMachine();
  }

  public String topic() {
    return prefix() + "-pipeline";
  }

  public String topicArn() {
    return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + topic();
  }

  public String schedule() {
    return prefix() + "-daily";
  }

  /** An IAM role of the deployment: glue-job, pipeline (the state machine's), scheduler. */
  public String role(String purpose) {
    return prefix() + "-" + purpose;
  }

  public String roleArn(String purpose) {
    return "arn:aws:iam::" + ACCOUNT + ":role/" + role(purpose);
  }

  /** The Glue Data Catalog database of a zone: processed_{env}, curated_{env}. */
  public String database(String zone) {
    return zone + "_" + env;
  }

  public String glueArn(String resource) {
    return "arn:aws:glue:" + REGION + ":" + ACCOUNT + ":" + resource;
  }
}
