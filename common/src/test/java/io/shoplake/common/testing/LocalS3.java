package io.shoplake.common.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * The S3-compatible server of a test JVM: S3Proxy (Maven Central, jar-with-dependencies, copied into
 * target/s3proxy/ by the build) in a JVM of its own on 127.0.0.1, with jclouds' in-memory store and
 * credentials made up at start. Started on first use and stopped when the test JVM exits, so every test
 * class of the module shares it; each test takes buckets of its own.
 *
 * <p>Jobs reach it the way a user's jobs reach any S3 endpoint: through {@link #env()}, the standard AWS
 * variables. {@link #failFast} makes s3a give up after one attempt, so a test of a failure fails in
 * seconds instead of retrying for minutes.
 */
public final class LocalS3 {
  private static LocalS3 shared;

  private final Process process;
  private final String endpoint;
  private final String accessKey;
  private final String secretKey;
  private final AmazonS3 client;

  private LocalS3(Process process, String endpoint, String accessKey, String secretKey) {
    this.process = process;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.client = AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, "us-east-1"))
        .withPathStyleAccessEnabled(true)
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
        .build();
  }

  public static synchronized LocalS3 shared() {
    if (shared == null) {
      shared = start();
      LocalS3 server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server.process::destroyForcibly));
    }
    return shared;
  }

  private static LocalS3 start() {
    String jar = System.getProperty("shoplake.s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("No S3Proxy jar at '" + jar + "' (system property shoplake.s3proxy.jar): the"
          + " build copies it into target/s3proxy/ (maven-dependency-plugin, process-test-resources)");
    }
    try {
      int port = freePort();
      String accessKey = "test" + random(6);
      String secretKey = random(20);
      Path dir = Files.createTempDirectory("local-s3");
      Path properties = dir.resolve("s3proxy.conf");
      Files.write(properties, List.of(
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + accessKey,
          "s3proxy.credential=" + secretKey,
          "jclouds.provider=transient",
          "jclouds.identity=" + accessKey,
          "jclouds.credential=" + secretKey));
      Path log = dir.resolve("server.log");
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", properties.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String endpoint = "http://127.0.0.1:" + port;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!answers(endpoint)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("S3Proxy did not start on " + endpoint + ":\n" + Files.readString(log));
        }
        Thread.sleep(200);
      }
      return new LocalS3(process, endpoint, accessKey, secretKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An anonymous request is refused (403) once the server is up. */
  private static boolean answers(String endpoint) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      int code = connection.getResponseCode();
      connection.disconnect();
      return code > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  /** Creates bucket {@code name} and returns its root, {@code s3a://name}. */
  public String createBucket(String name) {
    client.createBucket(name);
    return "s3a://" + name;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The standard AWS variables that point a job (or the AWS CLI) at this server. */
  public Map<String, String> env() {
    return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", "us-east-1",
        "AWS_ENDPOINT_URL_S3", endpoint);
  }

  /** The secret of this server's credentials: a test sweeps the lake and the output for it. */
  public String secretKey() {
    return secretKey;
  }

  /**
   * s3a settings for tests: one attempt per request, two s3a retries 100 ms apart, short connect
   * timeouts, so an unreachable endpoint fails in seconds. Set on {@code hadoop} (the shared session's).
   */
  public static void failFast(Configuration hadoop) {
    hadoop.set("fs.s3a.attempts.maximum", "1");
    hadoop.set("fs.s3a.retry.limit", "2");
    hadoop.set("fs.s3a.retry.interval", "100ms");
    hadoop.set("fs.s3a.retry.throttle.limit", "2");
    hadoop.set("fs.s3a.retry.throttle.interval", "100ms");
    hadoop.set("fs.s3a.connection.establish.timeout", "2000");
    hadoop.set("fs.s3a.connection.timeout", "20000");
  }

  /**
   * Points {@code hadoop} at this server, as a job run with {@link #env()} does, with {@link #failFast}
   * settings. A job run with another environment (no AWS variables, wrong keys) changes them again, so
   * a test sets them before its own IO.
   */
  public Configuration configure(Configuration hadoop) {
    failFast(hadoop);
    io.shoplake.common.spark.ObjectStoreSettings.apply(hadoop,
        new io.shoplake.common.config.LakeConfig.Aws("", ""), env());
    return hadoop;
  }

  /** Copies a local folder (a raw zone) to {@code target} on this server. */
  public void upload(Path folder, String target, Configuration hadoop) {
    configure(hadoop);
    try {
      org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(folder.toUri());
      org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(target);
      FileUtil.copy(FileSystem.getLocal(hadoop), from, to.getFileSystem(hadoop), to, false, true, hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot upload " + folder + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Copies {@code source} (a lake on this server) into the local folder {@code folder}, to compare it with a local lake. */
  public void download(String source, Path folder, Configuration hadoop) {
    configure(hadoop);
    try {
      org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(source);
      FileUtil.copy(from.getFileSystem(hadoop), from, FileSystem.getLocal(hadoop),
          new org.apache.hadoop.fs.Path(folder.toUri()), false, true, hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot download " + source + " to " + folder + ": " + e.getMessage(), e);
    }
  }
}
