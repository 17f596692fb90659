package org.ifpp.keymaker.orders;

import java.time.Instant;

/**
 * A production order as stored.
 *
 * @param pool the operator's profile pool its profiles come from
 * @param factory the factory (broker {@code targetFactory}) whose lines carry its packages
 * @param deviceCount how many devices it is for
 * @param explicitEids whether its EIDs were listed at creation (else admitted as they are bound)
 */
public record Order(
    OrderId id,
    String pool,
    String factory,
    int deviceCount,
    boolean explicitEids,
    OrderState state,
    Instant createdAt) {}
