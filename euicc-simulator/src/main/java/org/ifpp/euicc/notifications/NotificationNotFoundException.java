package org.ifpp.euicc.notifications;

import org.ifpp.crypto.ids.Eid;

/** The chip has no pending notification with this sequence number (never had, or removed). */
public final class NotificationNotFoundException extends RuntimeException {

  public NotificationNotFoundException(Eid eid, long seqNumber) {
    super("chip " + eid + " has no pending notification " + seqNumber);
  }
}
