package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SchemaChangeTest {
  @Test
  void letterCaseNullabilityAndOrderAreNoChange() {
    StructType lake = StructType.fromDDL("id BIGINT NOT NULL, status STRING, year INT");
    StructType batch = StructType.fromDDL("YEAR INT, ID BIGINT, Status VARCHAR(16)");
    assertEquals(Optional.empty(), SchemaChange.between(lake, batch));
  }

  @Test
  void namesWhatWasAddedRemovedAndRetyped() {
    StructType lake = StructType.fromDDL("id BIGINT, total DECIMAL(18,2), note STRING");
    StructType batch = StructType.fromDDL("id BIGINT, total DECIMAL(20,4), wait STRING");
    assertEquals(Optional.of("added wait string; removed note; retyped total decimal(18,2) -> decimal(20,4)"),
        SchemaChange.between(lake, batch));
  }
}
