package io.shoplake.common.clickstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The session rule as one forward pass over a partition's events, sorted by visitor, then time, then
 * event id: an event starts a new chain when it is its visitor's first or comes more than the gap
 * after the previous one, and a new session when it starts a chain or comes more than the maximum
 * length after its session's start. Each event leaves with its chain's start, its session's start
 * and its session's id, appended to its columns.
 *
 * <p>Why a fold and not window functions: where the next session of a long chain starts depends on
 * where the previous one started, which no window function can see; as windows it took four window
 * operators, three sorts and a second pass over the long chains. Cost: one row at a time, streaming,
 * no buffer (memory does not grow with a chain's length); each row is converted from Spark's binary
 * row to a {@link Row} and back, which is the price of a fold in the public API.
 *
 * <p>The session id (the first 32 hex digits of SHA-256 of {@code visitor_id|first event_id}) is hashed here,
 * once per session, and shared by its events. As a column expression after the fold it was hashed, turned to
 * hex and cut for every event: about 3% of the clickstream job's executor samples at 5.7M events, 0.4% here
 * (docs/BENCHMARKS.md, twenty-fifth round).
 */
final class SessionFold implements MapPartitionsFunction<Row, Row> {
  static final String SESSION_START_US = "_session_start_us";
  static final String CHAIN_START_US = "_chain_start_us";
  /** The session id leaves the fold under its final name: nothing is derived from it after. */
  static final String SESSION_ID = "session_id";

  private final int visitorIndex;
  private final int timeIndex;
  private final int eventIdIndex;
  private final int width;
  private final long gapUs;
  private final long maxLengthUs;

  /**
   * @param input the schema of the rows it folds: {@code visitor_id}, {@code event_id} and the event's
   *     time in microseconds, {@code timeColumn}, all non-null
   */
  SessionFold(StructType input, String timeColumn, long gapUs, long maxLengthUs) {
    this.visitorIndex = input.fieldIndex("visitor_id");
    this.timeIndex = input.fieldIndex(timeColumn);
    this.eventIdIndex = input.fieldIndex("event_id");
    this.width = input.size();
    this.gapUs = gapUs;
    this.maxLengthUs = maxLengthUs;
  }

  /** The input schema with the three columns the fold appends. */
  static StructType output(StructType input) {
    return input
        .add(SESSION_START_US, DataTypes.LongType, false)
        .add(CHAIN_START_US, DataTypes.LongType, false)
        .add(SESSION_ID, DataTypes.StringType, false);
  }

  /**
   * The id of the session of {@code visitor} that starts with the event {@code firstEventId}: the first 32
   * lower-case hex digits of SHA-256 over the UTF-8 bytes of {@code visitor|firstEventId}.
   */
  static String sessionId(MessageDigest sha256, String visitor, String firstEventId) {
    byte[] digest = sha256.digest((visitor + "|" + firstEventId).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> sorted) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot name sessions: this JVM has no SHA-256", e);
    }
    return new Iterator<>() {
      private String visitor;
      private long previousUs;
      private long chainStartUs;
      private long sessionStartUs;
      private String sessionId;

      @Override
      public boolean hasNext() {
        return sorted.hasNext();
      }

      @Override
      public Row next() {
        if (!sorted.hasNext()) {
          throw new NoSuchElementException();
        }
        Row event = sorted.next();
        String eventVisitor = event.getString(visitorIndex);
        long us = event.getLong(timeIndex);
        String eventId = event.getString(eventIdIndex);
        if (sessionId == null || !Objects.equals(eventVisitor, visitor) || us - previousUs > gapUs) {
          visitor = eventVisitor;
          chainStartUs = us;
          sessionStartUs = us;
          sessionId = sessionId(sha256, eventVisitor, eventId);
        } else if (us - sessionStartUs > maxLengthUs) {
          sessionStartUs = us;
          sessionId = sessionId(sha256, eventVisitor, eventId);
        }
        previousUs = us;
        Object[] values = new Object[width + 3];
        for (int i = 0; i < width; i++) {
          values[i] = event.get(i);
        }
        values[width] = sessionStartUs;
        values[width + 1] = chainStartUs;
        values[width + 2] = sessionId;
        return RowFactory.create(values);
      }
    };
  }
}
