package org.ifpp.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The shared web settings of a service ({@code ifpp.web.*}).
 *
 * @param problemType prefix of every problem's {@code type} URI, the code appended (e.g. {@code
 *     urn:ifpp:broker:problem:})
 * @param maxBodySize largest accepted request body: 413 {@code body-too-large} above, refused from
 *     the declared Content-Length before anything is read
 * @param maxHeaderSize largest accepted request line and headers (Tomcat refuses above, answered as
 *     problem+json)
 * @param unobservedPaths request paths left out of the generic {@code http.server.requests}
 *     observation (hot paths with their own meters); a {@code *} stands for one path segment
 * @param idempotencyRetention how long stored Idempotency-Key answers are kept
 * @param databaseRetryAfter the Retry-After of a 503 {@code database-unavailable}
 */
@ConfigurationProperties("ifpp.web")
public record WebProperties(
    String problemType,
    DataSize maxBodySize,
    DataSize maxHeaderSize,
    List<String> unobservedPaths,
    Duration idempotencyRetention,
    Duration databaseRetryAfter) {

  public WebProperties {
    problemType = problemType == null ? "urn:ifpp:problem:" : problemType;
    maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(64) : maxBodySize;
    maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(8) : maxHeaderSize;
    unobservedPaths = unobservedPaths == null ? List.of() : List.copyOf(unobservedPaths);
    idempotencyRetention = idempotencyRetention == null ? Duration.ofDays(7) : idempotencyRetention;
    databaseRetryAfter = databaseRetryAfter == null ? Duration.ofSeconds(5) : databaseRetryAfter;
  }
}
