package io.shoplake.common.pii;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.net.URI;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Reads a secret string from AWS Secrets Manager with the SDK's default credentials chain (on Glue,
 * the job's IAM role). One call per job start, on the driver; the value is never logged, and a
 * failure is a one-line error naming the secret id and the SDK's reason, never the value.
 */
public final class AwsSecretsManagerReader implements SecretReader {
  private final LakeConfig.Aws aws;

  public AwsSecretsManagerReader(LakeConfig.Aws aws) {
    this.aws = aws;
  }

  @Override
  public String read(String secretId) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (!aws.region().isBlank()) {
      builder.region(Region.of(aws.region()));
    }
    if (!aws.secretsManagerEndpoint().isBlank()) {
      builder.endpointOverride(URI.create(aws.secretsManagerEndpoint()));
    }
    try (SecretsManagerClient client = builder.build()) {
      return client.getSecretValue(GetSecretValueRequest.builder().secretId(secretId).build()).secretString();
    } catch (SdkException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UsageException("Cannot read secret " + secretId + " from AWS Secrets Manager: "
          + reason.replaceAll("\\s*\\R\\s*", " "), e);
    }
  }
}
