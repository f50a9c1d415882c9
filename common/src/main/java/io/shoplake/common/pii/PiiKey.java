package io.shoplake.common.pii;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The HMAC key for hashing PII, with where it came from. {@link #toString()} never shows the key,
 * so a key that ends up in a log line or an exception message shows only its source.
 */
public final class PiiKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private final String source;
  private final boolean development;

  public PiiKey(byte[] bytes, String source, boolean development) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("Cannot use an empty PII key (" + source + ")");
    }
    this.bytes = bytes.clone();
    this.source = source;
    this.development = development;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** Where the key came from, e.g. "environment variable ETL_PII_HASH_KEY": safe to log. */
  public String source() {
    return source;
  }

  /** True for the labelled development key used in env=local only. */
  public boolean isDevelopmentKey() {
    return development;
  }

  @Override
  public String toString() {
    return "PiiKey(" + source + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PiiKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
