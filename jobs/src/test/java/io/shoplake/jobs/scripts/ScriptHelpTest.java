package io.shoplake.jobs.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script a user runs answers {@code --help} and {@code -h} with its header comment (usage, options,
 * environment, exit codes) and exit 0, before it builds the jar, fetches Spark, installs a tool or starts a
 * server. Each runs in a copy of the scripts folder with no jar, no {@code .cache} and no Maven or npm on the
 * {@code PATH}: a script that reached for any of them would fail or leave files behind.
 *
 * <p>Why: before, most of them took {@code --help} as a wrong argument (exit 2), as an environment to deploy
 * to, or as a lake folder, and {@code validate-asl.sh --help} installed its npm package first.
 * {@code run-local.sh --help} is left out here: it prints the pipeline's keys too, which needs the jar.
 */
class ScriptHelpTest {
  /** Not a user's command: sourced by the others, or Spark's own launcher (its --help is spark-submit's). */
  private static final Set<String> NOT_COMMANDS = Set.of("lib.sh", "spark-submit.sh", "run-local.sh");

  @TempDir Path root;

  @TestFactory
  Stream<DynamicTest> everyScriptAnswersHelpWithItsHeaderAndTouchesNothing() throws IOException {
    Path scripts = Path.of("..", "scripts");
    List<Path> commands;
    try (Stream<Path> files = Files.list(scripts)) {
      commands = files.filter(p -> p.getFileName().toString().endsWith(".sh"))
          .filter(p -> !NOT_COMMANDS.contains(p.getFileName().toString())).sorted().toList();
    }
    assertTrue(commands.size() >= 10, "the scripts folder's commands: " + commands);
    Files.createDirectories(root.resolve("scripts"));
    for (Path script : list(scripts)) {
      if (Files.isRegularFile(script)) {
        Files.copy(script, root.resolve("scripts").resolve(script.getFileName()));
      }
    }
    Files.writeString(root.resolve("pom.xml"), "<project><properties><spark.version>3.5.6</spark.version>"
        + "</properties></project>\n");
    return commands.stream().flatMap(script -> Stream.of("--help", "-h").map(flag -> DynamicTest.dynamicTest(
        script.getFileName() + " " + flag, () -> answersWithItsHeader(script.getFileName().toString(), flag))));
  }

  private void answersWithItsHeader(String script, String flag) throws Exception {
    Set<String> before = tree();
    Path out = root.resolve("out-" + script + flag);
    Path err = root.resolve("err-" + script + flag);
    List<String> command = List.of("bash", root.resolve("scripts").resolve(script).toString(), flag);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().remove("SPARK_HOME");
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), script + " " + flag + " did not end in 30 s");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);
    assertEquals(0, process.exitValue(), script + " " + flag + ":\n" + stdout + stderr);
    assertEquals("", stderr, script + " " + flag);
    assertEquals(header(root.resolve("scripts").resolve(script)), stdout, script + " " + flag);
    assertFalse(stdout.contains("# "), script + ": the comment marks are taken off");
    assertEquals(before, tree(), script + " " + flag + " left files behind");
  }

  /** The header the script's comment holds: the lines after #! up to the first line of code, without "# ". */
  private static String header(Path script) throws IOException {
    List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
    StringBuilder header = new StringBuilder();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.startsWith("#")) {
        break;
      }
      header.append(line.startsWith("# ") ? line.substring(2) : line.substring(1)).append('\n');
    }
    assertTrue(header.length() > 80, script + " has a header that says how to run it");
    return header.toString();
  }

  private Set<String> tree() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString()).filter(p -> !p.startsWith("out-") && !p.startsWith("err-"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }
}
