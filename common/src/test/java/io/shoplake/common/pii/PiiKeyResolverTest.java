package io.shoplake.common.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiKeyResolverTest {
  private static final SecretReader NO_SECRETS = id -> {
    throw new AssertionError("unexpected secret read " + id);
  };

  @Test
  void theEnvironmentVariableComesFirst() {
    PiiKey key = PiiKeyResolver.resolve(new LakeConfig.Pii("ETL_PII_HASH_KEY", "prod/key", false), "prod",
        Map.of("ETL_PII_HASH_KEY", "s3cr3t"), NO_SECRETS);
    assertEquals("environment variable ETL_PII_HASH_KEY", key.source());
    assertTrue(!key.toString().contains("s3cr3t"));
  }

  @Test
  void theSecretIsReadWhenTheVariableIsNotSet() {
    PiiKey key = PiiKeyResolver.resolve(new LakeConfig.Pii("ETL_PII_HASH_KEY", "prod/key", false), "prod",
        Map.of(), id -> "from-" + id);
    assertEquals("secret prod/key", key.source());
  }

  @Test
  void localMayUseTheLabelledDevelopmentKey() {
    PiiKey key = PiiKeyResolver.resolve(new LakeConfig.Pii("ETL_PII_HASH_KEY", "", true), "local", Map.of(), NO_SECRETS);
    assertTrue(key.isDevelopmentKey());
  }

  @Test
  void otherEnvironmentsStopWithoutAKey() {
    UsageException e = assertThrows(UsageException.class, () -> PiiKeyResolver.resolve(
        new LakeConfig.Pii("ETL_PII_HASH_KEY", "", true), "staging", Map.of(), NO_SECRETS));
    assertEquals("Cannot hash PII in env 'staging': no key; set the environment variable ETL_PII_HASH_KEY"
        + " or shoplake.pii.hash-key-secret-id", e.getMessage());
  }
}
