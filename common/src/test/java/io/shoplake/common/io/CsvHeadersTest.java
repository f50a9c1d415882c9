package io.shoplake.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvHeadersTest {
  @Test
  void aHeaderLineIsSplitTrimmedAndUnquotedWithoutItsByteOrderMark() {
    assertEquals(List.of("id", "name", "note"), CsvHeaders.parseHeaderLine("\uFEFF\"id\", name ,\"note\""));
  }

  @Test
  void trailingCommasGiveUnnamedColumns() {
    List<String> header = CsvHeaders.parseHeaderLine("id,name,,");
    assertEquals(List.of("id", "name", "", ""), header);
    assertEquals(List.of("", ""), CsvHeaders.extraColumns(header, List.of("id", "name")));
    assertEquals(List.of(), CsvHeaders.repeatedNames(header), "unnamed columns are no repeat");
  }

  @Test
  void aNameGivenTwiceIsARepeatNamedOnce() {
    assertEquals(List.of("name"), CsvHeaders.repeatedNames(List.of("id", "name", "", "name", "name", "")));
  }

  @Test
  void namesInAMessageAreQuotedSoAnUnnamedOneShows() {
    assertEquals("[\"note\", \"\"]", CsvHeaders.quoted(List.of("note", "")));
    assertEquals("[]", CsvHeaders.quoted(List.of()));
  }
}
