package io.shoplake.common.pii;

/** Reads a secret's string value by id (AWS Secrets Manager in the cloud). */
@FunctionalInterface
public interface SecretReader {
  /** Returns the secret string; throws with a one-line message when it cannot be read. */
  String read(String secretId);
}
