package org.ifpp.keymaker.binding;

import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;

/** A binding with its one-time key spent and its transactionId drawn, ready to be built. */
record ReservedBinding(
    long bindingId,
    int attempt,
    long profileId,
    long euiccId,
    Eid eid,
    Curve curve,
    int keyIndex,
    byte[] otPk,
    TransactionId transactionId) {}
