package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.InvalidPathException;
import org.junit.jupiter.api.Test;

/** The one line a failure prints: what a user can do about a file name the JVM cannot encode. */
class ErrorMessagesTest {
  private static final InvalidPathException UNMAPPABLE = new InvalidPathException("/lake/raw/r\uFFFDsum\uFFFD.csv",
      "Malformed input or input contains unmappable characters");

  @Test
  void aFileNameTheLocaleCannotEncodeNamesTheLocaleAsTheCause() {
    assertEquals(" (this JVM names files in ANSI_X3.4-1968, from its locale: run it under a UTF-8 locale, e.g."
        + " LC_ALL=C.UTF-8)", ErrorMessages.fileNameHint(UNMAPPABLE, "ANSI_X3.4-1968"));
    assertEquals("", ErrorMessages.fileNameHint(UNMAPPABLE, "UTF-8"), "under UTF-8 the name is not the locale's fault");
    assertEquals("", ErrorMessages.fileNameHint(new InvalidPathException("a\u0000b", "Nul character not allowed"),
        "ANSI_X3.4-1968"));
  }

  @Test
  void theOneLineCarriesTheHintWhenTheJvmIsNotUtf8() {
    String line = ErrorMessages.oneLine(new RuntimeException(UNMAPPABLE));
    String expected = "InvalidPathException: Malformed input or input contains unmappable characters: "
        + "/lake/raw/r\uFFFDsum\uFFFD.csv"
        + ErrorMessages.fileNameHint(UNMAPPABLE, System.getProperty("sun.jnu.encoding"));
    assertEquals(expected, line);
  }
}
