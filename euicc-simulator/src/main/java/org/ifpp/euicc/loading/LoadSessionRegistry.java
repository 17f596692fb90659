package org.ifpp.euicc.loading;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * Segmented loads over HTTP: one session per ES10b load, as an LPA drives a chip over successive
 * LoadBoundProfilePackage APDUs. A session is an {@link Es10bLoading}, the path the card's STORE
 * DATA commands take too: each segment is checked as it arrives, and the first that fails, or the
 * last one, is answered with the chip's signed result and ends the session; the one-time key is
 * consumed at the first segment, as on the card. A segment that breaks the segmentation ends the
 * session: thrown while it is the first (nothing changed), answered {@code scp03tStructureError}
 * after it. An aborted or expired session keeps a consumed key consumed. Idle sessions expire.
 */
public final class LoadSessionRegistry {

  /** The answer to one segment: still waiting for more, or the chip's outcome. */
  public sealed interface SegmentResult {
    /** More segments expected. */
    record Pending(UUID sessionId, Es10bSegmentAssembler.State next, int segmentsReceived)
        implements SegmentResult {}

    /** The chip answered: a segment failed, or the last one completed the package. */
    record Completed(UUID sessionId, LoadOutcome outcome) implements SegmentResult {}
  }

  /** No such session for this chip (unknown, expired, finished or aborted). */
  public static class SessionNotFoundException extends DomainException {
    public SessionNotFoundException(UUID id) {
      // The id is not echoed: an unknown one says nothing about the open ones.
      super(SimulatorError.SESSION_NOT_FOUND, "no open load session with this id");
    }
  }

  /** Too many open sessions. */
  public static class TooManySessionsException extends DomainException {
    public TooManySessionsException(int max) {
      super(SimulatorError.TOO_MANY_SESSIONS, "at most " + max + " open load sessions");
    }
  }

  private static final class Session {
    final Eid eid;
    final Es10bLoading loading;
    volatile Instant lastUsed;

    Session(Eid eid, Es10bLoading loading, Instant now) {
      this.eid = eid;
      this.loading = loading;
      this.lastUsed = now;
    }

    synchronized void close() {
      loading.close();
    }
  }

  private final ConcurrentMap<UUID, Session> sessions = new ConcurrentHashMap<>();
  private final PackageLoader loader;
  private final int maxPackageBytes;
  private final Duration timeout;
  private final int maxSessions;
  private final Clock clock;

  public LoadSessionRegistry(
      PackageLoader loader, int maxPackageBytes, Duration timeout, int maxSessions, Clock clock) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.maxPackageBytes = maxPackageBytes;
    this.timeout = timeout;
    this.maxSessions = maxSessions;
    this.clock = clock;
  }

  /** Opens a session for {@code eid}; the caller has checked that the chip exists. */
  public UUID start(Eid eid, byte[] bindingCertificateDer) {
    return start(eid, bindingCertificateDer, null);
  }

  /**
   * Opens a session for a package bound to the one-time key {@code named} ({@code bppEuiccOtpk}),
   * or to any unused key when null; the caller has checked that the chip exists.
   */
  public UUID start(Eid eid, byte[] bindingCertificateDer, BppEuiccOtpk named) {
    expire();
    if (sessions.size() >= maxSessions) {
      throw new TooManySessionsException(maxSessions);
    }
    UUID id = UUID.randomUUID();
    Es10bLoading loading =
        new Es10bLoading(loader, eid, bindingCertificateDer, named, maxPackageBytes);
    sessions.put(id, new Session(eid, loading, clock.instant()));
    return id;
  }

  /**
   * Feeds the next segment.
   *
   * @throws SessionNotFoundException if the session is unknown for this chip
   * @throws SegmentationException if the first segment does not fit (the session is then closed,
   *     nothing changed)
   */
  public SegmentResult accept(Eid eid, UUID id, byte[] segment) {
    Session s = find(eid, id);
    synchronized (s) {
      if (sessions.get(id) != s) {
        throw new SessionNotFoundException(id);
      }
      s.lastUsed = clock.instant();
      Optional<LoadOutcome> answered;
      try {
        answered = s.loading.accept(segment);
      } catch (RuntimeException e) {
        sessions.remove(id);
        s.loading.close();
        throw e;
      }
      if (answered.isEmpty()) {
        return new SegmentResult.Pending(id, s.loading.state(), s.loading.segmentsReceived());
      }
      sessions.remove(id);
      return new SegmentResult.Completed(id, answered.get());
    }
  }

  /**
   * Loads a list of segments in one call, as a session would: answered at the first segment that
   * fails (the rest are not read) or at the last; a list that ends before the package is complete
   * is answered {@code scp03tStructureError} after the first segment.
   */
  public LoadOutcome loadSegments(
      Eid eid, byte[] bindingCertificateDer, BppEuiccOtpk named, Iterable<byte[]> segments) {
    try (Es10bLoading loading =
        new Es10bLoading(loader, eid, bindingCertificateDer, named, maxPackageBytes)) {
      for (byte[] segment : segments) {
        Optional<LoadOutcome> answered = loading.accept(segment);
        if (answered.isPresent()) {
          return answered.get();
        }
      }
      return loading.incomplete();
    }
  }

  /**
   * Aborts a session: its session keys are wiped; a key consumed at its first segment stays
   * consumed, as on a card.
   */
  public void abort(Eid eid, UUID id) {
    Session s = find(eid, id);
    if (sessions.remove(id, s)) {
      s.close();
    }
  }

  public Optional<Es10bSegmentAssembler.State> state(Eid eid, UUID id) {
    Session s = sessions.get(id);
    return s == null || !s.eid.equals(eid) ? Optional.empty() : Optional.of(s.loading.state());
  }

  public int openSessions() {
    return sessions.size();
  }

  private Session find(Eid eid, UUID id) {
    Session s = sessions.get(id);
    if (s == null || !s.eid.equals(eid) || expired(s)) {
      if (s != null && expired(s) && sessions.remove(id, s)) {
        s.close();
      }
      throw new SessionNotFoundException(id);
    }
    return s;
  }

  private boolean expired(Session s) {
    return s.lastUsed.plus(timeout).isBefore(clock.instant());
  }

  private void expire() {
    sessions.forEach(
        (id, s) -> {
          if (expired(s) && sessions.remove(id, s)) {
            s.close();
          }
        });
  }
}
