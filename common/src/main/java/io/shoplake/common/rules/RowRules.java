package io.shoplake.common.rules;

import io.shoplake.common.transform.Transform;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Applies an ordered list of {@link RowRule}s as one {@code CASE WHEN} expression: a row's
 * {@code reject_reason} is the name of the first rule it breaks, or null when it passes them all.
 * One projection, no shuffle, no extra scan: rules are evaluated where the rows already are.
 */
public final class RowRules {
  /** The column every validated dataset carries; null means the row is valid. */
  public static final String REJECT_REASON = "reject_reason";

  private RowRules() {}

  /** The first-failing-rule expression for {@code rules}. */
  public static Column firstFailure(List<RowRule> rules) {
    if (rules.isEmpty()) {
      return lit(null).cast("string");
    }
    Column expression = when(rules.get(0).failsWhen(), lit(rules.get(0).name()));
    for (RowRule rule : rules.subList(1, rules.size())) {
      expression = expression.when(rule.failsWhen(), lit(rule.name()));
    }
    return expression;
  }

  /** Adds {@code reject_reason}: a transformation for {@code Dataset.transform}. */
  public static Transform withRejectReason(List<RowRule> rules) {
    Column reason = firstFailure(rules);
    return ds -> ds.withColumn(REJECT_REASON, reason);
  }
}
