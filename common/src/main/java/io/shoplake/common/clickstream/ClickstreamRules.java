package io.shoplake.common.clickstream;

import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.dataset.Dedup;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import io.shoplake.common.rules.FutureTimes;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The contract of raw clickstream events (JSON Lines), as a {@link RawDataset}: fields, cleaning,
 * rules in order, typing, {@code visitor_id} and the bot flag. An event needs its id, a visitor (a
 * {@code user_id}, else an {@code anonymous_id}), a known event type and a valid timestamp. One row per
 * {@code event_id}: its first delivery wins (the earliest file, then the earliest time, then a content
 * hash); the others are quarantined as {@code duplicate}.
 */
public final class ClickstreamRules {
  public static final List<String> FIELDS = List.of("event_id", "user_id", "anonymous_id", "event_type", "event_ts",
      "page_url", "product_id", "transaction_id", "referrer", "device_type", "user_agent");
  public static final List<String> EVENT_TYPES = List.of("page_view", "product_view", "search", "add_to_cart",
      "remove_from_cart", "checkout_start", "purchase");
  public static final StructType TYPED = new StructType().add("event_ts", DataTypes.TimestampType);

  private ClickstreamRules() {}

  /** The events, with {@code is_bot} from {@code botPatterns} (see {@link #withBotFlag}). */
  public static RawDataset events(List<String> botPatterns) {
    Transform bots = withBotFlag(botPatterns);
    return RawDataset.of("clickstream", RawDataset.Format.JSON_LINES, FIELDS, TYPED, ClickstreamRules::rules)
        .normalising(Map.of("event_type", c -> lower(c)))
        .deriving(events -> bots.apply(events.withColumn("visitor_id", coalesce(col("user_id"), col("anonymous_id")))))
        .deduplicatedBy(Dedup.quarantining("event_id", col("source_file").asc(), col("event_ts").asc()));
  }

  /** @param latestAccepted the latest event time accepted (the run's start plus the future tolerance) */
  static List<RowRule> rules(Instant latestAccepted) {
    return List.of(
        rule("missing_event_id", col("event_id").isNull()),
        rule("missing_anonymous_id", col("user_id").isNull().and(col("anonymous_id").isNull())),
        rule("missing_event_type", col("event_type").isNull()),
        rule("invalid_event_type", not(col("event_type").isin(EVENT_TYPES.toArray()))),
        rule("missing_event_ts", col("event_ts").isNull()),
        rule("invalid_event_ts", Typing.parsed("event_ts").isNull()),
        FutureTimes.notAfter("event_ts", Typing.parsed("event_ts"), latestAccepted));
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
