package io.shoplake.common.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real SDK client against a Secrets Manager stand-in on 127.0.0.1 that speaks its JSON protocol
 * (X-Amz-Target: secretsmanager.GetSecretValue).
 */
class AwsSecretsManagerReaderTest {
  private HttpServer server;
  private final List<String> targets = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    System.setProperty("aws.accessKeyId", "test-access-key");
    System.setProperty("aws.secretAccessKey", "test-secret-key");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      boolean known = body.contains("\"prod/shoplake/pii-hash-key\"");
      byte[] reply = (known
          ? "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:1:secret:x\",\"Name\":\"prod/shoplake/pii-hash-key\",\"SecretString\":\"k3y-from-sm\"}"
          : "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(known ? 200 : 400, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private AwsSecretsManagerReader reader() {
    return new AwsSecretsManagerReader(new LakeConfig.Aws("eu-west-1",
        "http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @Test
  void readsTheSecretString() {
    assertEquals("k3y-from-sm", reader().read("prod/shoplake/pii-hash-key"));
    assertEquals(List.of("secretsmanager.GetSecretValue"), targets);
  }

  @Test
  void aMissingSecretIsAOneLineErrorNamingIt() {
    UsageException e = assertThrows(UsageException.class, () -> reader().read("prod/other"));
    assertTrue(e.getMessage().startsWith("Cannot read secret prod/other from AWS Secrets Manager: "
        + "Secrets Manager can't find the specified secret."), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }
}
