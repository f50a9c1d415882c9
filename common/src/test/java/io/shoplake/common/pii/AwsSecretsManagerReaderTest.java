package io.shoplake.common.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.testing.SecretsManagerStandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real SDK client against a Secrets Manager stand-in on 127.0.0.1 that speaks its JSON protocol
 * (X-Amz-Target: secretsmanager.GetSecretValue).
 */
class AwsSecretsManagerReaderTest {
  private SecretsManagerStandIn standIn;

  @BeforeEach
  void start() {
    standIn = new SecretsManagerStandIn(Map.of("prod/shoplake/pii-hash-key", "k3y-from-sm"));
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private AwsSecretsManagerReader reader() {
    return new AwsSecretsManagerReader(new LakeConfig.Aws("eu-west-1", standIn.endpoint()));
  }

  @Test
  void readsTheSecretString() {
    assertEquals("k3y-from-sm", reader().read("prod/shoplake/pii-hash-key"));
    assertEquals(List.of("secretsmanager.GetSecretValue"), standIn.targets());
  }

  @Test
  void aMissingSecretIsAOneLineErrorNamingIt() {
    UsageException e = assertThrows(UsageException.class, () -> reader().read("prod/other"));
    assertTrue(e.getMessage().startsWith("Cannot read secret prod/other from AWS Secrets Manager: "
        + "Secrets Manager can't find the specified secret."), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }
}
