package io.shoplake.common.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTypesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
      "true|FALSE|True; boolean",
      "1|-20|+300|0; int",
      "1|9999999999; bigint",
      "1.50|2.25|-0.10; decimal(3,2)",
      "12.5|3; decimal(11,1)",
      "123456789012345678901234; decimal(24,0)",
      "1.5e3|2E-2; double",
      "1.5|2e3; double",
      "2025-01-02|2024-02-29; date",
      "2025-01-02T10:00:00Z|2025-01-02 10:00:00; timestamp",
      "2025-01-02|2025-01-02T10:00:00+01:00; timestamp",
      "2025-02-30; string",
      "007|8; string",
      "1|x; string",
      "true|1; string",
      "A12|B7; string",
      "NULLS; string"})
  void infersTheNarrowestTypeEveryValueFits(String values, String expected) {
    String[] texts = values.equals("NULLS") ? new String[] {null, null} : values.split("\\|");
    assertEquals(expected, ColumnTypes.name(ColumnTypes.infer(Arrays.asList(texts))));
  }

  @Test
  void widensNumbersAndDatesButNothingElse() {
    assertEquals(Optional.of(DataTypes.LongType), ColumnTypes.merge(DataTypes.IntegerType, DataTypes.LongType));
    assertEquals(Optional.of(DataTypes.LongType), ColumnTypes.merge(DataTypes.LongType, DataTypes.IntegerType));
    assertEquals("decimal(21,2)", ColumnTypes.name(ColumnTypes.merge(DataTypes.LongType,
        DataTypes.createDecimalType(3, 2)).orElseThrow()));
    assertEquals("decimal(7,3)", ColumnTypes.name(ColumnTypes.merge(DataTypes.createDecimalType(5, 1),
        DataTypes.createDecimalType(3, 3)).orElseThrow()));
    assertEquals(Optional.of(DataTypes.DoubleType),
        ColumnTypes.merge(DataTypes.createDecimalType(5, 1), DataTypes.DoubleType));
    assertEquals(Optional.of(DataTypes.TimestampType), ColumnTypes.merge(DataTypes.DateType, DataTypes.TimestampType));
    assertEquals(Optional.of(DataTypes.StringType), ColumnTypes.merge(DataTypes.StringType, DataTypes.IntegerType));
    for (DataType[] pair : new DataType[][] {
        {DataTypes.IntegerType, DataTypes.StringType}, {DataTypes.BooleanType, DataTypes.IntegerType},
        {DataTypes.DateType, DataTypes.IntegerType}, {DataTypes.DoubleType, DataTypes.StringType}}) {
      assertEquals(Optional.empty(), ColumnTypes.merge(pair[0], pair[1]), pair[0] + " <- " + pair[1]);
    }
  }

  @Test
  void typeNamesRoundTrip() {
    for (String name : new String[] {"boolean", "int", "bigint", "decimal(12,2)", "double", "date", "timestamp",
        "string"}) {
      assertEquals(name, ColumnTypes.name(ColumnTypes.parse(name)));
    }
  }
}
