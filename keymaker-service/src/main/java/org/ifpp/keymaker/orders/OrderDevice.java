package org.ifpp.keymaker.orders;

import org.ifpp.crypto.ids.TransactionId;

/**
 * One device of an order: its EID and its latest binding under the order (null fields while it has
 * none).
 *
 * @param state the latest binding's state, or {@code NOT_BOUND}
 * @param attempts the latest binding's attempt number (0 while not bound)
 */
public record OrderDevice(
    String eid,
    String iccid,
    String state,
    TransactionId transactionId,
    String resultCode,
    int attempts) {}
