package io.shoplake.common.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for AWS Secrets Manager on 127.0.0.1 that speaks the part of its JSON protocol the SDK's
 * GetSecretValue uses, so the real SDK client is tested without AWS. Holds fixed secrets; an unknown id
 * gets Secrets Manager's ResourceNotFoundException. Sets dummy AWS credentials as system properties
 * while it runs (the SDK signs every request) and clears them on {@link #close()}.
 */
public final class SecretsManagerStandIn implements AutoCloseable {
  private final HttpServer server;
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  public SecretsManagerStandIn(Map<String, String> secrets) {
    System.setProperty("aws.accessKeyId", "test-access-key");
    System.setProperty("aws.secretAccessKey", "test-secret-key");
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      String id = body.replaceAll("(?s).*\"SecretId\"\\s*:\\s*\"([^\"]*)\".*", "$1");
      String secret = secrets.get(id);
      byte[] reply = (secret != null
          ? "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:1:secret:x\",\"Name\":\"" + id + "\",\"SecretString\":\""
              + secret + "\"}"
          : "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(secret != null ? 200 : 400, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    server.start();
  }

  /** The endpoint override for {@code shoplake.aws.secrets-manager-endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The X-Amz-Target header of every request received. */
  public List<String> targets() {
    return targets;
  }

  /** The body of every request received. */
  public List<String> bodies() {
    return bodies;
  }

  @Override
  public void close() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
