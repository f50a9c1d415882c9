package io.shoplake.common.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;

import io.shoplake.common.transform.Transform;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lake's day partitions, {@code year=2025/month=1/day=15} (integers, UTC): their names, the dates
 * they stand for, and reads pruned to some of them. A filter on the partition columns only is applied
 * by Spark to the folder names, so such a read lists and scans only the partitions asked for.
 */
public final class DayPartitions {
  public static final List<String> COLUMNS = List.of("year", "month", "day");

  private DayPartitions() {}

  /**
   * Adds the partition columns {@code year, month, day} of {@code dayOf} (a timestamp, taken in UTC, the
   * session time zone, or a date): the one derivation of a row's day partition. One projection.
   */
  public static Transform withDayOf(Column dayOf) {
    return rows -> rows.withColumn("year", year(dayOf)).withColumn("month", month(dayOf))
        .withColumn("day", dayofmonth(dayOf));
  }

  public static String name(int year, int month, int day) {
    return "year=" + year + "/month=" + month + "/day=" + day;
  }

  public static String name(LocalDate date) {
    return name(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  public static SortedSet<String> names(Collection<LocalDate> dates) {
    SortedSet<String> names = new TreeSet<>();
    dates.forEach(d -> names.add(name(d)));
    return names;
  }

  /** The date of {@code year=Y/month=M/day=D}; an {@link IllegalArgumentException} for another name. */
  public static LocalDate date(String name) {
    String[] parts = name.split("/");
    if (parts.length != 3 || !parts[0].startsWith("year=") || !parts[1].startsWith("month=")
        || !parts[2].startsWith("day=")) {
      throw new IllegalArgumentException("Cannot read partition '" + name + "': expected year=Y/month=M/day=D");
    }
    return LocalDate.of(Integer.parseInt(parts[0].substring(5)), Integer.parseInt(parts[1].substring(6)),
        Integer.parseInt(parts[2].substring(4)));
  }

  public static SortedSet<LocalDate> dates(Collection<String> names) {
    SortedSet<LocalDate> dates = new TreeSet<>();
    names.forEach(n -> dates.add(date(n)));
    return dates;
  }

  /** The rows of the partitions of {@code dates} (pruned: only their folders are read). */
  public static Dataset<Row> onDates(Dataset<Row> rows, Collection<LocalDate> dates) {
    Column day = make_date(col("year"), col("month"), col("day"));
    return rows.filter(day.isin(dates.stream().map(Date::valueOf).toArray()));
  }

  /** The rows of the partitions from {@code from} to {@code to}, inclusive (pruned). */
  public static Dataset<Row> between(Dataset<Row> rows, LocalDate from, LocalDate to) {
    Column day = make_date(col("year"), col("month"), col("day"));
    return rows.filter(day.between(Date.valueOf(from), Date.valueOf(to)));
  }

  /**
   * Rows per day partition, and the rows without a day (a null time, such as a MySQL zero date read as null).
   *
   * @param byPartition rows per partition name
   * @param undated rows whose partition columns are null
   */
  public record Counts(SortedMap<String, Long> byPartition, long undated) {}

  /** Rows per day partition of {@code rows}, and those without one: one aggregation (cache {@code rows} if costly). */
  public static Counts counts(Dataset<Row> rows) {
    SortedMap<String, Long> byPartition = new TreeMap<>();
    long undated = 0;
    for (Row r : rows.groupBy("year", "month", "day").count().collectAsList()) {
      if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2)) {
        undated += r.getLong(3);
      } else {
        byPartition.put(name(r.getInt(0), r.getInt(1), r.getInt(2)), r.getLong(3));
      }
    }
    return new Counts(byPartition, undated);
  }

  /**
   * Rows per day partition of {@code rows}, every one of which has a day: one aggregation (cache {@code rows}
   * if it is costly). Fails, rather than leave rows out, when some have none.
   */
  public static SortedMap<String, Long> rowCounts(Dataset<Row> rows) {
    Counts counts = counts(rows);
    if (counts.undated() > 0) {
      throw new IllegalStateException("Cannot place " + counts.undated() + " row(s) in a day partition: their"
          + " time is null");
    }
    return counts.byPartition();
  }
}
