package io.shoplake.common.lake;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the object-store failures a user meets when pointing a job at S3, in an exception chain
 * from s3a (AWS SDK v1 here, v2 on Glue 5's Hadoop 3.4), by the error codes and messages S3 returns
 * rather than by SDK classes, so it holds for both SDKs and needs none on the classpath:
 *
 * <ul>
 *   <li>a bucket that does not exist (404 NoSuchBucket): a wrong lake root, not retried;
 *   <li>credentials the store refuses (403 InvalidAccessKeyId, SignatureDoesNotMatch, an expired
 *       token): wrong configuration, not retried, since the same keys fail the same way;
 *   <li>access denied to a path (403 AccessDenied): a missing permission, not retried;
 *   <li>an endpoint that does not answer (connection refused or timed out, unknown host): transient,
 *       the pipeline's retry applies.
 * </ul>
 *
 * The explanation never repeats a credential: S3's messages name no secret, and the key id is not quoted.
 */
public final class ObjectStoreErrors {
  private static final Pattern BUCKET = Pattern.compile("s3a?://([^/\\s:`']+)");
  private static final Pattern CONNECT_TO = Pattern.compile("Connect to ([^\\s\\[]+)");

  private ObjectStoreErrors() {}

  public enum Problem {
    /** The lake root names a bucket that does not exist. */
    MISSING_BUCKET,
    /** The store does not accept the credentials at all. */
    CREDENTIALS_REFUSED,
    /** The credentials are valid but lack a permission. */
    ACCESS_DENIED,
    /** The endpoint does not answer. */
    UNREACHABLE
  }

  /** A recognised failure and the sentence that says it. */
  public record Explained(Problem problem, String message) {}

  public static Optional<Explained> explain(Throwable error) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
      if (t.getCause() == t) {
        break;
      }
    }
    String text = chain.toString();
    String bucket = first(BUCKET, text).map(b -> "bucket '" + b + "'").orElse("the lake's bucket");
    if (text.contains("NoSuchBucket") || text.contains("UnknownStoreException")) {
      return Optional.of(new Explained(Problem.MISSING_BUCKET, bucket + " does not exist (S3 answered 404"
          + " NoSuchBucket): check --lake-root, or create the bucket first"));
    }
    for (String code : new String[] {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
        "InvalidToken", "InvalidClientTokenId"}) {
      if (text.contains(code)) {
        return Optional.of(new Explained(Problem.CREDENTIALS_REFUSED, "S3 refused the credentials for " + bucket
            + " (403 " + code + "): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the"
            + " role of the job; not retried"));
      }
    }
    if (text.contains("AccessDenied") || (text.contains("java.nio.file.AccessDeniedException") && text.contains("s3a://"))) {
      return Optional.of(new Explained(Problem.ACCESS_DENIED, "S3 denied access to " + bucket
          + " (403 AccessDenied): the credentials lack a permission on the lake's path"));
    }
    if (text.contains("s3a://") || text.contains("com.amazonaws") || text.contains("software.amazon")) {
      Optional<String> where = first(CONNECT_TO, text);
      if (text.contains("Connection refused") || text.contains("connect timed out")
          || text.contains("UnknownHostException") || text.contains("ConnectTimeoutException")) {
        return Optional.of(new Explained(Problem.UNREACHABLE, "the S3 endpoint" + where.map(w -> " " + w).orElse("")
            + " does not answer (" + (text.contains("Connection refused") ? "connection refused"
                : text.contains("UnknownHostException") ? "unknown host" : "connection timed out")
            + "): is the server up and AWS_ENDPOINT_URL_S3 / shoplake.aws.s3-endpoint right? (transient: the pipeline retries it)"));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
