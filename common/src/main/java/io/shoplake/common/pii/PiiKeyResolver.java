package io.shoplake.common.pii;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PII hashing key, in this order: the environment variable named by
 * {@code shoplake.pii.hash-key-env}, then the AWS Secrets Manager secret
 * {@code shoplake.pii.hash-key-secret-id}, then (env=local with
 * {@code allow-development-key} only) a labelled development key. Runs before Spark starts, so a
 * missing key in dev, staging or prod costs a one-line error and no cluster time.
 */
public final class PiiKeyResolver {
  private static final Logger LOG = LoggerFactory.getLogger(PiiKeyResolver.class);

  /** Publicly known on purpose: hashes made with it protect nothing. */
  static final String DEVELOPMENT_KEY = "shoplake-DEVELOPMENT-ONLY-pii-key-not-secret";

  private PiiKeyResolver() {}

  public static PiiKey resolve(LakeConfig.Pii pii, String environment, Map<String, String> env,
      SecretReader secrets) {
    String fromEnv = env.get(pii.hashKeyEnv());
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new PiiKey(fromEnv.getBytes(StandardCharsets.UTF_8),
          "environment variable " + pii.hashKeyEnv(), false);
    }
    if (!pii.hashKeySecretId().isBlank()) {
      String secret = secrets.read(pii.hashKeySecretId());
      if (secret == null || secret.isEmpty()) {
        throw new UsageException("Cannot hash PII: secret " + pii.hashKeySecretId() + " is empty");
      }
      return new PiiKey(secret.getBytes(StandardCharsets.UTF_8),
          "secret " + pii.hashKeySecretId(), false);
    }
    if ("local".equals(environment) && pii.allowDevelopmentKey()) {
      LOG.warn("No PII key configured ({} is not set): hashing e-mails with the labelled DEVELOPMENT key."
          + " Hashes made with it are not protected; never use them outside a laptop.", pii.hashKeyEnv());
      return new PiiKey(DEVELOPMENT_KEY.getBytes(StandardCharsets.UTF_8), "development key", true);
    }
    throw new UsageException("Cannot hash PII in env '" + environment + "': no key; set the environment"
        + " variable " + pii.hashKeyEnv() + " or shoplake.pii.hash-key-secret-id");
  }
}
