package org.ifpp.euicc.notifications;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/** The chip has no pending notification with this sequence number (never had, or removed). */
public final class NotificationNotFoundException extends DomainException {

  public NotificationNotFoundException(Eid eid, long seqNumber) {
    super(
        SimulatorError.NOTIFICATION_NOT_FOUND,
        "chip " + eid + " has no pending notification " + seqNumber);
  }
}
