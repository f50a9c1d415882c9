package io.shoplake.common.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A source column's lake name never takes a name the lake or staging uses for its own columns. */
class SchemaContractTest {
  @Test
  void lakeNamesAreLowerSnakeCaseAndStepAsideForReservedNames() {
    assertEquals("order_id", SchemaContract.lakeName(" Order Id"));
    assertEquals("year_value", SchemaContract.lakeName("Year"));
    assertEquals("source_file_value", SchemaContract.lakeName("source_file"));
    // Staging adds _parsed_<field> before the rules and drops it after the typing: a source column of that
    // shape would be overwritten and then lost.
    assertEquals("_parsed_amount_value", SchemaContract.lakeName("_parsed_amount"));
  }
}
