package org.ifpp.broker.lines;

import java.util.regex.Pattern;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;

/**
 * The production line acting in a request: the credential's factory, and its line, or for a
 * factory-wide credential the line named in {@code X-Line-Id}. It sees only packages of its factory
 * that are for any line or for this line.
 *
 * @param factory the factory
 * @param line the line
 */
public record Claimant(String factory, String line) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * @throws DomainException 400 {@code missing-line-id}/{@code invalid-line-id}, 403 {@code
   *     line-mismatch}
   */
  public static Claimant of(ApiClient client, String lineHeader) {
    if (client.factory() == null) {
      throw new DomainException(
          BrokerError.NOT_A_LINE, "this credential is not bound to a factory");
    }
    if (lineHeader != null && !NAME.matcher(lineHeader).matches()) {
      throw new DomainException(BrokerError.INVALID_LINE_ID, "X-Line-Id: [A-Za-z0-9._-]{1,64}");
    }
    if (client.line() != null) {
      if (lineHeader != null && !lineHeader.equals(client.line())) {
        throw new DomainException(
            BrokerError.LINE_MISMATCH, "this credential is bound to another line");
      }
      return new Claimant(client.factory(), client.line());
    }
    if (lineHeader == null) {
      throw new DomainException(
          BrokerError.MISSING_LINE_ID, "a factory-wide credential must name its line in X-Line-Id");
    }
    return new Claimant(client.factory(), lineHeader);
  }
}
