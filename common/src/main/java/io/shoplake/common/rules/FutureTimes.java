package io.shoplake.common.rules;

import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;

/**
 * The rule that keeps event times from the future out of the lake: a value later than the run's start
 * plus the configured tolerance ({@code shoplake.validate.future-tolerance}) is quarantined as
 * {@code future_<column>}, since it can only come from a wrong clock or a typo (and would create
 * partitions such as {@code year=2099}). The limit is a literal of the plan: no extra work per row.
 */
public final class FutureTimes {
  private FutureTimes() {}

  /** {@code future_<column>}: the parsed timestamp {@code parsed} is later than {@code latest}. */
  public static RowRule notAfter(String column, Column parsed, Instant latest) {
    return RowRule.rule("future_" + column, parsed.gt(lit(Timestamp.from(latest))));
  }

  /** {@code future_<column>}: the parsed date {@code parsed} is later than the UTC date of {@code latest}. */
  public static RowRule dateNotAfter(String column, Column parsed, Instant latest) {
    return RowRule.rule("future_" + column,
        parsed.gt(lit(java.sql.Date.valueOf(latest.atOffset(ZoneOffset.UTC).toLocalDate()))));
  }
}
