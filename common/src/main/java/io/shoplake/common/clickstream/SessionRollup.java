package io.shoplake.common.clickstream;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A partition's sessionized events, in the order {@link SessionFold} left them (visitor, then time, then
 * event id), rolled up into one row per session as they stream by: a session's events are one run of
 * that order, so a session ends where the next one starts, and its first and last events are the first
 * and last of its run.
 *
 * <p>Why: the same rows as {@link SessionMetrics#toSessions}'s aggregation without its shuffle and its
 * sort (the texts taken by order, {@code min_by}/{@code max_by}, keep Spark from a hash aggregation: every
 * event was sorted by session id). Cost: one pass, one session's counters in memory; each row converted to
 * a {@link Row}, as in the fold.
 *
 * <p>The order is checked, not assumed: an event that does not come after the previous one of its
 * partition (visitor, time and event id compared as Spark sorts them: strings by code point) fails the
 * task, so rows that were reordered on their way from the fold cannot split a session into two. So does
 * an event without a session id, visitor id or event id: not a sessionized event.
 */
final class SessionRollup implements MapPartitionsFunction<Row, Row> {
  /** The columns it reads, in this order; {@code TIME_US} is the event's time in microseconds. */
  static final String TIME_US = "_ts_us";
  static final List<String> INPUT = List.of("session_id", "visitor_id", "user_id", "anonymous_id", "event_id",
      TIME_US, "event_type", "page_url", "device_type", "referrer");
  private static final int SESSION = 0;
  private static final int VISITOR = 1;
  private static final int USER = 2;
  private static final int ANONYMOUS = 3;
  private static final int EVENT_ID = 4;
  private static final int TIME = 5;
  private static final int TYPE = 6;
  private static final int PAGE = 7;
  private static final int DEVICE = 8;
  private static final int REFERRER = 9;

  /** The event types counted, each into the column of the same position in {@link #TYPE_COUNTS}. */
  static final List<String> TYPES = List.of("page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
      "checkout_start", "purchase");
  static final List<String> TYPE_COUNTS = List.of("page_views", "product_views", "searches", "add_to_carts",
      "remove_from_carts", "checkout_starts", "purchases");

  /**
   * One row per session: its id, visitor, user and anonymous id, first and last time ({@code session_start},
   * {@code session_end}, in microseconds: the caller makes them timestamps), counts, texts. Nullable
   * as the aggregation's columns are (only a {@code count} is not), so the sessions' files keep their schema.
   */
  static StructType output() {
    StructType schema = new StructType()
        .add("session_id", DataTypes.StringType, true)
        .add("visitor_id", DataTypes.StringType, true)
        .add("user_id", DataTypes.StringType, true)
        .add("anonymous_id", DataTypes.StringType, true)
        .add("session_start", DataTypes.LongType, true)
        .add("session_end", DataTypes.LongType, true)
        .add("event_count", DataTypes.LongType, false);
    for (String count : TYPE_COUNTS) {
      schema = schema.add(count, DataTypes.LongType, true);
    }
    return schema
        .add("landing_page", DataTypes.StringType, true)
        .add("exit_page", DataTypes.StringType, true)
        .add("device_type", DataTypes.StringType, true)
        .add("referrer", DataTypes.StringType, true);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> events) {
    return new Iterator<>() {
      private Row previous;
      private Row first;
      private String user;
      private long count;
      private final long[] typeCounts = new long[TYPES.size()];

      @Override
      public boolean hasNext() {
        return events.hasNext() || first != null;
      }

      @Override
      public Row next() {
        while (events.hasNext()) {
          Row event = events.next();
          checkOrder(event);
          Row done = first != null && !first.getString(SESSION).equals(event.getString(SESSION)) ? finish() : null;
          add(event);
          if (done != null) {
            return done;
          }
        }
        if (first == null) {
          throw new NoSuchElementException();
        }
        return finish();
      }

      private void add(Row event) {
        if (first == null) {
          first = event;
        }
        String eventUser = event.getString(USER);
        if (eventUser != null && (user == null || codePointCompare(eventUser, user) > 0)) {
          user = eventUser;
        }
        count++;
        String eventType = event.getString(TYPE);
        int type = eventType == null ? -1 : TYPES.indexOf(eventType);
        if (type >= 0) {
          typeCounts[type]++;
        }
        previous = event;
      }

      /** The session of {@code first} to {@code previous} as a row; the counters start again. */
      private Row finish() {
        Object[] values = new Object[7 + TYPES.size() + 4];
        values[0] = first.getString(SESSION);
        values[1] = first.getString(VISITOR);
        values[2] = user;
        values[3] = first.getString(ANONYMOUS);
        values[4] = first.getLong(TIME);
        values[5] = previous.getLong(TIME);
        values[6] = count;
        for (int i = 0; i < TYPES.size(); i++) {
          values[7 + i] = typeCounts[i];
          typeCounts[i] = 0;
        }
        int texts = 7 + TYPES.size();
        values[texts] = first.getString(PAGE);
        values[texts + 1] = previous.getString(PAGE);
        values[texts + 2] = first.getString(DEVICE);
        values[texts + 3] = first.getString(REFERRER);
        first = null;
        user = null;
        count = 0;
        return RowFactory.create(values);
      }

      private void checkOrder(Row event) {
        if (event.isNullAt(SESSION) || event.isNullAt(VISITOR) || event.isNullAt(EVENT_ID)) {
          throw new IllegalStateException("Cannot roll up sessions: an event without a session id, visitor id or"
              + " event id (event " + event.getString(EVENT_ID) + ", visitor " + event.getString(VISITOR)
              + "); only sessionized events can be rolled up");
        }
        if (previous == null) {
          return;
        }
        int byVisitor = codePointCompare(previous.getString(VISITOR), event.getString(VISITOR));
        int byTime = Long.compare(previous.getLong(TIME), event.getLong(TIME));
        if (byVisitor > 0 || byVisitor == 0 && (byTime > 0
            || byTime == 0 && codePointCompare(previous.getString(EVENT_ID), event.getString(EVENT_ID)) >= 0)) {
          throw new IllegalStateException("Cannot roll up sessions: event " + event.getString(EVENT_ID)
              + " does not follow event " + previous.getString(EVENT_ID) + " in its partition's order (visitor,"
              + " time, event id); the sessionized events were reordered");
        }
      }
    };
  }

  /**
   * Strings in the order of their code points, as Spark orders strings (by their UTF-8 bytes): Java's
   * {@code compareTo} compares UTF-16 units, which puts characters above U+FFFF (surrogate pairs) before
   * U+E000..U+FFFF.
   */
  static int codePointCompare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean xSurrogate = Character.isSurrogate(x);
        if (xSurrogate != Character.isSurrogate(y)) {
          return xSurrogate ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
