package org.ifpp.keymaker.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The two API credentials (Bearer tokens), kept apart: the operator manages profiles, eUICC data,
 * bindings and reports; the broker only delivers installation results. Set them from the
 * environment (KEYMAKER_API_OPERATOR_TOKEN, KEYMAKER_API_BROKER_TOKEN); {@link #toString()} redacts
 * them.
 */
@ConfigurationProperties("keymaker.api")
public record ApiProperties(String operatorToken, String brokerToken) {

  @Override
  public String toString() {
    return "ApiProperties[operatorToken=[REDACTED], brokerToken=[REDACTED]]";
  }
}
