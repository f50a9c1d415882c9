package io.shoplake.common.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Compares two DataFrames the way a test means it: first the schema (names and types, in order;
 * nullability ignored), then the rows as a multiset, regardless of order. On a difference, the
 * message lists the rows missing from the actual and the rows not expected, one per line.
 */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertSameSchema(expected.schema(), actual.schema());
    List<Row> expectedRows = expected.collectAsList();
    List<Row> actualRows = actual.collectAsList();
    Map<String, Integer> want = multiset(expectedRows);
    Map<String, Integer> got = multiset(actualRows);
    List<String> missing = difference(want, got);
    List<String> unexpected = difference(got, want);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      StringBuilder message = new StringBuilder("DataFrames differ (")
          .append(expectedRows.size()).append(" expected rows, ").append(actualRows.size()).append(" actual)\n");
      missing.forEach(r -> message.append("  - missing:    ").append(r).append('\n'));
      unexpected.forEach(r -> message.append("  + unexpected: ").append(r).append('\n'));
      fail(message.toString());
    }
  }

  public static void assertSameSchema(StructType expected, StructType actual) {
    if (!describe(expected).equals(describe(actual))) {
      fail("Schemas differ\n  expected: " + describe(expected) + "\n  actual:   " + describe(actual));
    }
  }

  private static String describe(StructType schema) {
    List<String> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      fields.add(f.name() + " " + f.dataType().simpleString());
    }
    return String.join(", ", fields);
  }

  private static Map<String, Integer> multiset(List<Row> rows) {
    Map<String, Integer> counts = new HashMap<>();
    for (Row row : rows) {
      counts.merge(render(row), 1, Integer::sum);
    }
    return counts;
  }

  /** Renders a row with BigDecimal scale normalised out, so 1.5 and 1.50 compare equal only by value. */
  private static String render(Row row) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      Object value = row.get(i);
      if (value instanceof java.math.BigDecimal d) {
        values.add(d.stripTrailingZeros().toPlainString());
      } else if (value instanceof Row nested) {
        values.add(render(nested));
      } else {
        values.add(String.valueOf(value));
      }
    }
    return "[" + String.join(", ", values) + "]";
  }

  private static List<String> difference(Map<String, Integer> left, Map<String, Integer> right) {
    return left.entrySet().stream()
        .flatMap(e -> {
          int extra = e.getValue() - right.getOrDefault(e.getKey(), 0);
          List<String> out = new ArrayList<>();
          for (int i = 0; i < extra; i++) {
            out.add(e.getKey());
          }
          return out.stream();
        })
        .sorted()
        .collect(Collectors.toList());
  }
}
