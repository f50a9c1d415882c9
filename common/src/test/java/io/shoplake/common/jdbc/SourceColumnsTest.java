package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceColumnsTest {
  private static SourceColumns.Column column(String name, int type, int precision) {
    return new SourceColumns.Column(name, type, precision);
  }

  @Test
  void durationsAndDecimalsWiderThanSparksAreCastToTextUnderTheirOwnNames() {
    SourceColumns columns = new SourceColumns("t", List.of(column("id", Types.BIGINT, 19),
        column("wait`time", Types.TIME, 10), column("d38", Types.DECIMAL, 38), column("d39", Types.DECIMAL, 39)));
    assertEquals(List.of("wait`time", "d39"), columns.readAsText());
    assertEquals("`id`, CAST(`wait``time` AS CHAR) AS `wait``time`, `d38`, CAST(`d39` AS CHAR) AS `d39`",
        columns.selectList());
  }

  @Test
  void columnsNamedLikeTheLakesOwnAreKeptUnderAPrefixAndEmailHashOnlyBesideAnEmail() {
    SourceColumns columns = new SourceColumns("t", List.of(column("id", Types.BIGINT, 19),
        column("Year", Types.INTEGER, 10), column("source_table", Types.VARCHAR, 10),
        column("email_hash", Types.VARCHAR, 64)));
    assertEquals(Map.of("Year", "Year_value", "source_table", "source_table_value"), columns.renames());
    assertEquals(Optional.empty(), columns.email());

    SourceColumns withEmail = new SourceColumns("t", List.of(column("EMAIL", Types.VARCHAR, 255),
        column("email_hash", Types.VARCHAR, 64)));
    assertEquals(Map.of("email_hash", "email_hash_value"), withEmail.renames());
    assertEquals(Optional.of("EMAIL"), withEmail.email());
  }

  @Test
  void aRenameWhoseNewNameIsTakenFailsInOneLine() {
    SourceColumns columns = new SourceColumns("orders", List.of(column("day", Types.INTEGER, 10),
        column("DAY_VALUE", Types.INTEGER, 10)));
    IllegalStateException e = assertThrows(IllegalStateException.class, columns::renames);
    assertEquals("Cannot copy column 'day' of stg_core.orders: the lake adds a column of that name, and 'day_value',"
        + " where it would be kept instead, is a column of the table too", e.getMessage());
  }
}
