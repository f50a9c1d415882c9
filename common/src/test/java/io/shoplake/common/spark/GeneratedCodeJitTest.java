package io.shoplake.common.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against this JVM's own compiler directives stack (HotSpot's diagnostic commands), which each test leaves empty. */
class GeneratedCodeJitTest {
  @TempDir Path dir;

  @AfterEach
  void leaveTheCompilersAsTheyWere() throws Exception {
    GeneratedCodeJit.c1Only(false);
    GeneratedCodeJit.diagnosticCommand("compilerDirectivesClear");
  }

  @Test
  void theDirectiveExcludesC2FromTheGeneratedStagesRowLoopOnceAndIsTakenAwayAgain() throws Exception {
    assertTrue(GeneratedCodeJit.c1Only(true));
    assertTrue(GeneratedCodeJit.c1Only(true), "asked twice");
    String listing = directives();
    assertEquals(1, occurrences(listing, "matching: " + GeneratedCodeJit.METHODS), listing);
    String c2 = listing.substring(listing.indexOf("c2 directives:", listing.indexOf(GeneratedCodeJit.METHODS)));
    assertTrue(c2.substring(0, c2.indexOf('\n', c2.indexOf("Exclude:"))).contains("Exclude:true"), listing);
    String c1 = listing.substring(listing.indexOf("c1 directives:"), listing.indexOf("c2 directives:"));
    assertTrue(c1.contains("Exclude:false"), "C1 still compiles it: " + listing);

    assertFalse(GeneratedCodeJit.c1Only(false));
    assertFalse(GeneratedCodeJit.c1Only(false), "asked twice");
    assertFalse(directives().contains(GeneratedCodeJit.METHODS), directives());
  }

  @Test
  void aDirectiveSomeoneAddedSinceStaysOnTop() throws Exception {
    GeneratedCodeJit.c1Only(true);
    Path theirs = dir.resolve("theirs.json");
    Files.writeString(theirs, "[{ match: \"java/lang/String.indexOf\", c2: { Exclude: true } }]");
    GeneratedCodeJit.diagnosticCommand("compilerDirectivesAdd", theirs.toString());

    assertFalse(GeneratedCodeJit.c1Only(false));
    assertTrue(directives().contains("java/lang/String.indexOf"), "theirs stays");
  }

  @Test
  void onlyTheTopOfAListingCounts() {
    assertTrue(GeneratedCodeJit.ours("\nDirective:\n matching: " + GeneratedCodeJit.METHODS + "\n c1 directives:\n"));
    assertFalse(GeneratedCodeJit.ours("\nDirective:\n matching: a/B.c\n\nDirective:\n matching: "
        + GeneratedCodeJit.METHODS + "\n"));
    assertFalse(GeneratedCodeJit.ours("\nDirective: (default)\n matching: *.*\n"));
    assertFalse(GeneratedCodeJit.ours(""));
  }

  private static String directives() throws Exception {
    return GeneratedCodeJit.diagnosticCommand("compilerDirectivesPrint");
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
