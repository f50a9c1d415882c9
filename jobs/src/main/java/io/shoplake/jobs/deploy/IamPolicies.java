package io.shoplake.jobs.deploy;

import io.shoplake.common.config.LakeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IAM roles of one environment, least privilege: per role its trust policy (who may assume it) and
 * its one inline policy (what it may do), each scoped to this environment's resources by name.
 *
 * <ul>
 *   <li>{@code glue-job}: the jobs read and write the lake bucket, read the jar, read the secrets the
 *       configuration names, keep their tables in the {@code processed_{env}} and {@code curated_{env}}
 *       databases, and write their logs and metrics; network interfaces only for the job with a VPC
 *       connection (stg_core).</li>
 *   <li>{@code pipeline}: the state machine starts, watches and stops this environment's Glue jobs and
 *       publishes to its topic (plus the log delivery Step Functions needs).</li>
 *   <li>{@code scheduler}: the daily schedule starts the state machine, nothing else.</li>
 * </ul>
 */
public final class IamPolicies {
  private IamPolicies() {}

  /** A role: its name, trust policy and inline policy. */
  public record Role(String name, Map<String, Object> trust, Map<String, Object> policy) {}

  public static List<Role> roles(LakeConfig config, AwsNames names, boolean anyConnection) {
    return List.of(
        new Role(names.role("glue-job"), trust("glue.amazonaws.com"), glueJob(config, names, anyConnection)),
        new Role(names.role("pipeline"), trust("states.amazonaws.com"), pipeline(names)),
        new Role(names.role("scheduler"), trust("scheduler.amazonaws.com"), scheduler(names)));
  }

  private static Map<String, Object> glueJob(LakeConfig config, AwsNames names, boolean anyConnection) {
    List<Object> statements = new ArrayList<>();
    String lake = "arn:aws:s3:::" + names.lakeBucket();
    statements.add(statement("LakeList", List.of("s3:ListBucket", "s3:GetBucketLocation"), List.of(lake)));
    statements.add(statement("LakeReadWrite", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"), List.of(lake + "/*")));
    statements.add(statement("JarAndScript", List.of("s3:GetObject"),
        List.of("arn:aws:s3:::" + names.artifactsBucket() + "/*")));
    List<String> secrets = new ArrayList<>();
    for (String id : List.of(config.pii().hashKeySecretId(), config.stgCore().passwordSecretId())) {
      if (!id.isBlank()) {
        // A name matches its ARN only with the six characters Secrets Manager appends.
        secrets.add(id.startsWith("arn:") ? id
            : "arn:aws:secretsmanager:" + AwsNames.REGION + ":" + AwsNames.ACCOUNT + ":secret:" + id + "-??????");
      }
    }
    if (!secrets.isEmpty()) {
      statements.add(statement("Secrets", List.of("secretsmanager:GetSecretValue"), secrets));
    }
    List<String> catalog = new ArrayList<>(List.of(names.glueArn("catalog"), names.glueArn("database/default")));
    for (String zone : List.of("processed", "curated")) {
      catalog.add(names.glueArn("database/" + names.database(zone)));
      catalog.add(names.glueArn("table/" + names.database(zone) + "/*"));
    }
    statements.add(statement("Catalog", List.of("glue:GetDatabase", "glue:GetDatabases", "glue:CreateDatabase",
        "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable", "glue:GetPartition",
        "glue:GetPartitions", "glue:BatchGetPartition", "glue:CreatePartition", "glue:BatchCreatePartition",
        "glue:DeletePartition", "glue:BatchDeletePartition"), catalog));
    statements.add(statement("Logs", List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
        List.of("arn:aws:logs:" + AwsNames.REGION + ":" + AwsNames.ACCOUNT + ":log-group:/aws-glue/*")));
    Map<String, Object> metrics = statement("Metrics", List.of("cloudwatch:PutMetricData"), List.of("*"));
    metrics.put("Condition", Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")));
    statements.add(metrics);
    if (anyConnection) {
      statements.add(statement("ConnectionLookup", List.of("glue:GetConnection"),
          List.of(names.glueArn("catalog"), names.glueArn("connection/" + names.prefix() + "-*"))));
      // Glue places the job's network interfaces in the connection's subnet; EC2 scopes none of these by name.
      statements.add(statement("ConnectionNetwork", List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
          "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
          "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:CreateTags"),
          List.of("*")));
    }
    return policy(statements);
  }

  private static Map<String, Object> pipeline(AwsNames names) {
    List<Object> statements = new ArrayList<>();
    statements.add(statement("GlueJobRuns", List.of("glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns",
        "glue:BatchStopJobRun"), List.of(names.glueArn("job/" + names.prefix() + "-*"))));
    statements.add(statement("Notify", List.of("sns:Publish"), List.of(names.topicArn())));
    // Step Functions' own log delivery to CloudWatch Logs: these actions take no resource scope.
    statements.add(statement("ExecutionLogs", List.of("logs:CreateLogDelivery", "logs:GetLogDelivery",
        "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"), List.of("*")));
    return policy(statements);
  }

  private static Map<String, Object> scheduler(AwsNames names) {
    return policy(List.of(statement("StartPipeline", List.of("states:StartExecution"),
        List.of(names.stateMachineArn()))));
  }

  private static Map<String, Object> trust(String service) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Principal", Map.of("Service", service));
    statement.put("Action", "sts:AssumeRole");
    // Only this account's resources may use the role (the confused-deputy guard AWS recommends).
    statement.put("Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", AwsNames.ACCOUNT)));
    return policy(List.of(statement));
  }

  private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    statement.put("Action", actions);
    statement.put("Resource", resources);
    return statement;
  }

  private static Map<String, Object> policy(List<Object> statements) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("Version", "2012-10-17");
    policy.put("Statement", statements);
    return policy;
  }
}
