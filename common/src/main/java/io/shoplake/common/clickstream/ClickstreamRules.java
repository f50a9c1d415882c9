package io.shoplake.common.clickstream;

import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The contract of raw clickstream events (JSON Lines): fields, cleaning, rules in order, typing and
 * the bot flag. An event needs its id, a visitor (a {@code user_id}, else an {@code anonymous_id}),
 * a known event type and a valid timestamp.
 */
public final class ClickstreamRules {
  public static final String CORRUPT_RECORD = "_corrupt_record";
  public static final List<String> FIELDS = List.of("event_id", "user_id", "anonymous_id", "event_type", "event_ts",
      "page_url", "product_id", "transaction_id", "referrer", "device_type", "user_agent");
  public static final List<String> EVENT_TYPES = List.of("page_view", "product_view", "search", "add_to_cart",
      "remove_from_cart", "checkout_start", "purchase");

  private ClickstreamRules() {}

  public static Dataset<Row> clean(Dataset<Row> raw) {
    return RawFields.clean(raw, FIELDS, Map.of("event_type", c -> lower(c)), "clickstream");
  }

  /** @param latestAccepted the latest event time accepted (the run's start plus the future tolerance) */
  public static List<RowRule> rules(java.time.Instant latestAccepted) {
    List<RowRule> rules = new java.util.ArrayList<>(JsonLinesSource.lineRules());
    rules.addAll(List.of(
        rule("malformed_row", col(CORRUPT_RECORD).isNotNull()),
        rule("missing_event_id", col("event_id").isNull()),
        rule("missing_anonymous_id", col("user_id").isNull().and(col("anonymous_id").isNull())),
        rule("missing_event_type", col("event_type").isNull()),
        rule("invalid_event_type", not(col("event_type").isin(EVENT_TYPES.toArray()))),
        rule("missing_event_ts", col("event_ts").isNull()),
        rule("invalid_event_ts", Clean.timestamp("event_ts").isNull()),
        FutureTimes.notAfter("event_ts", Clean.timestamp("event_ts"), latestAccepted)));
    return rules;
  }

  /** Typed event_ts and {@code visitor_id} = user_id, else anonymous_id; other columns kept. */
  public static Dataset<Row> toTyped(Dataset<Row> cleaned) {
    Contracts.requireColumns(cleaned, "type clickstream events", FIELDS.toArray(new String[0]));
    return cleaned
        .withColumn("event_ts", Clean.timestamp("event_ts"))
        .withColumn("visitor_id", coalesce(col("user_id"), col("anonymous_id")));
  }

  /**
   * {@code is_bot}: the user agent contains one of {@code patterns}, compared case-insensitively as
   * plain text (lower-case patterns expected). An event without a user agent is not a bot.
   */
  public static Transform withBotFlag(List<String> patterns) {
    return events -> {
      Contracts.requireColumns(events, "flag bots", "user_agent");
      Column agent = lower(col("user_agent"));
      Column bot = lit(false);
      for (String pattern : patterns) {
        bot = bot.or(agent.contains(pattern));
      }
      return events.withColumn("is_bot", coalesce(bot, lit(false)));
    };
  }
}
