package org.ifpp.keymaker.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The credentials (Bearer tokens), kept apart: the operator manages profiles, eUICC data, bindings
 * and reports; the broker only delivers installation results; the auditor (the security officer),
 * optional, logs in to the console to read the audit trail and health and may act on nothing else.
 * Set them from the environment (KEYMAKER_API_OPERATOR_TOKEN, KEYMAKER_API_BROKER_TOKEN,
 * KEYMAKER_API_AUDITOR_TOKEN) or secret files; {@link #toString()} redacts them.
 */
@ConfigurationProperties("keymaker.api")
public record ApiProperties(String operatorToken, String brokerToken, String auditorToken) {

  @Override
  public String toString() {
    return "ApiProperties[operatorToken=[REDACTED], brokerToken=[REDACTED],"
        + " auditorToken=[REDACTED]]";
  }
}
