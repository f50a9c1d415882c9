package io.shoplake.common.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.dataset.RawDataset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
  /** A sample whose column values are of the given types: one typical value each. */
  private static SchemaEvolution.FileSample sample(String file, Object... nameThenType) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < nameThenType.length; i += 2) {
      DataType type = (DataType) nameThenType[i + 1];
      String value = type.equals(DataTypes.IntegerType) ? "7" : type.equals(DataTypes.LongType) ? "40000000000"
          : type.equals(DataTypes.StringType) ? "text" : "10.25";
      values.put((String) nameThenType[i], List.of(value));
    }
    return new SchemaEvolution.FileSample(file, values);
  }

  @Test
  void aFewBadValuesInANumberColumnAreBadRowsNotANewType() {
    var v1 = apply(Optional.empty(), sample("f1", "qty", DataTypes.IntegerType)).versions().get(0);
    var mostlyNumbers = new SchemaEvolution.FileSample("f2", Map.of("qty", java.util.Arrays.asList("1", "2", "x", null)));
    var outcome = apply(Optional.of(v1), mostlyNumbers);
    assertEquals(List.of(), outcome.rejected());
    assertEquals(List.of(), outcome.versions());
    var mostlyText = new SchemaEvolution.FileSample("f3", Map.of("qty", List.of("1", "x", "y")));
    assertEquals("schema_type_change", apply(Optional.of(v1), mostlyText).rejected().get(0).reason());
  }

  private static SchemaEvolution.Outcome apply(Optional<SchemaContract> current, SchemaEvolution.FileSample... s) {
    return SchemaEvolution.apply("orders", RawDataset.Format.CSV, current, List.of(s), "run-1");
  }

  private static List<String> columns(SchemaContract c) {
    return c.columns().stream().map(x -> x.name() + " " + x.type() + " v" + x.since()).toList();
  }

  @Test
  void theFirstFileIsVersionOneWithLakeNames() {
    var outcome = apply(Optional.empty(), sample("f1", "Order ID", DataTypes.IntegerType, "note", DataTypes.StringType));
    assertEquals(1, outcome.versions().size());
    SchemaContract v1 = outcome.versions().get(0);
    assertEquals(1, v1.version());
    assertEquals(List.of("order_id int v1", "note string v1"), columns(v1));
    assertEquals("Order ID", v1.columns().get(0).source());
  }

  @Test
  void aNewColumnIsAnAdditiveVersionAndAWideningAnother() {
    var outcome = apply(Optional.empty(),
        sample("f1", "id", DataTypes.IntegerType, "qty", DataTypes.IntegerType),
        sample("f2", "id", DataTypes.IntegerType, "qty", DataTypes.IntegerType, "coupon", DataTypes.StringType),
        sample("f3", "id", DataTypes.LongType, "qty", DataTypes.IntegerType, "coupon", DataTypes.StringType),
        sample("f4", "id", DataTypes.IntegerType, "qty", DataTypes.createDecimalType(4, 2), "coupon",
            DataTypes.StringType));
    assertEquals(List.of(1, 2, 3, 4), outcome.versions().stream().map(SchemaContract::version).toList());
    assertEquals(List.of("id int v1", "qty int v1", "coupon string v2"), columns(outcome.versions().get(1)));
    assertEquals(List.of("id bigint v1", "qty decimal(12,2) v1", "coupon string v2"),
        columns(outcome.versions().get(3)));
    assertEquals("widened qty int -> decimal(12,2)", outcome.versions().get(3).change());
    assertEquals(List.of(), outcome.rejected());
  }

  @Test
  void aMissingColumnIsReportedAndChangesNothing() {
    var v1 = apply(Optional.empty(), sample("f1", "id", DataTypes.IntegerType, "note", DataTypes.StringType))
        .versions().get(0);
    var outcome = apply(Optional.of(v1), sample("f2", "id", DataTypes.IntegerType));
    assertEquals(List.of(), outcome.versions());
    assertEquals(List.of("f2 has no column note: read as null there"), outcome.notes());
  }

  @Test
  void textInANumberColumnRejectsTheFileNamingTheColumnAndBothTypes() {
    var v1 = apply(Optional.empty(), sample("f1", "id", DataTypes.IntegerType, "qty", DataTypes.IntegerType))
        .versions().get(0);
    var outcome = apply(Optional.of(v1),
        sample("f2", "id", DataTypes.IntegerType, "qty", DataTypes.StringType, "extra", DataTypes.StringType),
        sample("f3", "id", DataTypes.IntegerType, "qty", DataTypes.IntegerType));
    assertEquals(List.of(), outcome.versions(), "the rejected file adds no column");
    assertEquals(1, outcome.rejected().size());
    SchemaEvolution.Rejection r = outcome.rejected().get(0);
    assertEquals("f2", r.file());
    assertEquals("schema_type_change", r.reason());
    assertEquals("column qty: the contract (v1) has int, the file holds string values", r.detail());
  }

  @Test
  void twoColumnsWithOneLakeNameRejectTheFile() {
    var outcome = apply(Optional.empty(), sample("f1", "Order ID", DataTypes.IntegerType, "order_id",
        DataTypes.IntegerType));
    assertEquals(List.of(), outcome.versions());
    assertTrue(outcome.rejected().get(0).detail().contains("both be stored as order_id"));
  }
}
