package org.ifpp.euicc.loading;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * Segmented loads in progress: one session per ES10b load, as an LPA drives a chip over successive
 * LoadBoundProfilePackage APDUs. A session collects segments in an {@link Es10bSegmentAssembler};
 * when the last segment completes the package, the whole package goes to the {@link PackageLoader}
 * and the session ends. A framing error ends the session without touching the chip. Idle sessions
 * expire.
 */
public final class LoadSessionRegistry {

  /** The answer to one segment: still waiting for more, or the chip's outcome. */
  public sealed interface SegmentResult {
    /** More segments expected. */
    record Pending(UUID sessionId, Es10bSegmentAssembler.State next, int segmentsReceived)
        implements SegmentResult {}

    /** The package was complete and the chip answered. */
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
    final byte[] bindingCertificate;
    final Es10bSegmentAssembler assembler;
    volatile Instant lastUsed;

    Session(Eid eid, byte[] bindingCertificate, int maxBytes, Instant now) {
      this.eid = eid;
      this.bindingCertificate = bindingCertificate.clone();
      this.assembler = new Es10bSegmentAssembler(maxBytes);
      this.lastUsed = now;
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
    expire();
    if (sessions.size() >= maxSessions) {
      throw new TooManySessionsException(maxSessions);
    }
    UUID id = UUID.randomUUID();
    sessions.put(id, new Session(eid, bindingCertificateDer, maxPackageBytes, clock.instant()));
    return id;
  }

  /**
   * Feeds the next segment.
   *
   * @throws SessionNotFoundException if the session is unknown for this chip
   * @throws SegmentationException if the segment does not fit (the session is then closed)
   */
  public SegmentResult accept(Eid eid, UUID id, byte[] segment) {
    Session s = find(eid, id);
    synchronized (s) {
      if (sessions.get(id) != s) {
        throw new SessionNotFoundException(id);
      }
      s.lastUsed = clock.instant();
      try {
        s.assembler.accept(segment);
      } catch (SegmentationException e) {
        sessions.remove(id);
        throw e;
      }
      if (!s.assembler.isComplete()) {
        return new SegmentResult.Pending(id, s.assembler.state(), s.assembler.segmentCount());
      }
      sessions.remove(id);
      return new SegmentResult.Completed(
          id, loader.load(s.eid, s.assembler.assembled(), s.bindingCertificate));
    }
  }

  /** Loads a list of segments in one call (same rules as a session). */
  public LoadOutcome loadSegments(
      Eid eid, byte[] bindingCertificateDer, Iterable<byte[]> segments) {
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(maxPackageBytes);
    for (byte[] segment : segments) {
      assembler.accept(segment);
    }
    if (!assembler.isComplete()) {
      throw new SegmentationException(
          SimulatorError.INCOMPLETE_PACKAGE, "segments end before the package is complete");
    }
    return loader.load(eid, assembler.assembled(), bindingCertificateDer);
  }

  /** Aborts a session; nothing on the chip changes. */
  public void abort(Eid eid, UUID id) {
    find(eid, id);
    sessions.remove(id);
  }

  public Optional<Es10bSegmentAssembler.State> state(Eid eid, UUID id) {
    Session s = sessions.get(id);
    return s == null || !s.eid.equals(eid) ? Optional.empty() : Optional.of(s.assembler.state());
  }

  public int openSessions() {
    return sessions.size();
  }

  private Session find(Eid eid, UUID id) {
    Session s = sessions.get(id);
    if (s == null || !s.eid.equals(eid) || expired(s)) {
      if (s != null && expired(s)) {
        sessions.remove(id);
      }
      throw new SessionNotFoundException(id);
    }
    return s;
  }

  private boolean expired(Session s) {
    return s.lastUsed.plus(timeout).isBefore(clock.instant());
  }

  private void expire() {
    sessions.values().removeIf(this::expired);
  }
}
