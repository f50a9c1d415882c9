package io.shoplake.common.config;

/**
 * A wrong argument or configuration value, found before any data is touched. The launcher prints
 * its message as one line and exits with code 2; the message names the offending key and value.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
