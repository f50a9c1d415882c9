package io.shoplake.common.rules;

import org.apache.spark.sql.Column;

/**
 * One validation rule of a dataset: its name (the {@code reject_reason} written to quarantine) and
 * the condition under which a row breaks it. A condition that evaluates to null (say, on a value an
 * earlier rule already rejects) does not fire.
 */
public record RowRule(String name, Column failsWhen) {
  public static RowRule rule(String name, Column failsWhen) {
    return new RowRule(name, failsWhen);
  }
}
