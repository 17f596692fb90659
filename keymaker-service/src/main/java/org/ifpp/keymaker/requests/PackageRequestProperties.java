package org.ifpp.keymaker.requests;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Binding on request ({@code keymaker.package-requests.*}, docs/orders.md).
 *
 * @param answerWithin the longest a request waits for its accepted chips' packages: once this long
 *     after the request was handled, the answer is posted with every chip whose package has not
 *     reached the broker refused {@code package-not-delivered}, so that a stalled binding cannot
 *     keep a line waiting for the whole request
 */
@ConfigurationProperties("keymaker.package-requests")
public record PackageRequestProperties(@DefaultValue("2m") Duration answerWithin) {}
