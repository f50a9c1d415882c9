package io.shoplake.common.quality;

import io.shoplake.common.config.UsageException;
import java.util.Locale;

/**
 * What a failed check does: {@code error} fails the quality run (non-zero exit) and holds back
 * master-merge from publishing curated tables built on the dataset; {@code warning} is reported and
 * the run goes on; {@code off} disables the check (e.g. in one environment's config file).
 */
public enum Severity {
  ERROR, WARNING, OFF;

  static Severity parse(String value, String key) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "error" -> ERROR;
      case "warning" -> WARNING;
      case "off" -> OFF;
      default -> throw new UsageException("Cannot use " + key + " '" + value + "': expected error, warning or off");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
