package org.ifpp.euicc.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP load sessions over a real chip: checked segment by segment as the card is ({@code
 * SegmentedTransportsTest} compares the two), the one-time key consumed at the first segment.
 */
class LoadSessionRegistryTest {

  static class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-26T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dir;
  LoadFixture f;
  Eid eid;
  final MutableClock clock = new MutableClock();

  @BeforeEach
  void setUp() {
    f = new LoadFixture(dir);
    eid = f.newChip();
  }

  LoadSessionRegistry registry(int maxSessions) {
    return new LoadSessionRegistry(f.service, 1 << 20, Duration.ofMinutes(5), maxSessions, clock);
  }

  byte[] cert() {
    return f.keyMaker.certificateDer();
  }

  @Test
  void lastSegment_installs_andEndsTheSession() {
    List<byte[]> segments = Es10bSegmenter.split(f.bind(eid, 0));
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    LoadSessionRegistry.SegmentResult last = null;
    for (byte[] s : segments) {
      last = r.accept(eid, id, s);
    }
    assertThat(last).isInstanceOf(LoadSessionRegistry.SegmentResult.Completed.class);
    assertThat(((LoadSessionRegistry.SegmentResult.Completed) last).outcome().installed()).isTrue();
    assertThat(r.openSessions()).isZero();
    assertThatThrownBy(() -> r.accept(eid, id, segments.get(0)))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void theFirstSegment_consumesTheKey_asOnTheCard() {
    List<byte[]> segments = Es10bSegmenter.split(f.bind(eid, 0));
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    assertThat(r.accept(eid, id, segments.get(0)))
        .isInstanceOf(LoadSessionRegistry.SegmentResult.Pending.class);
    assertThat(f.remaining(eid)).isEqualTo(3);
  }

  @Test
  void anAbortedSession_keepsItsConsumedKeyConsumed_andInstallsNothing() {
    List<byte[]> segments = Es10bSegmenter.split(f.bind(eid, 0));
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    r.accept(eid, id, segments.get(0));
    r.accept(eid, id, segments.get(1));
    r.abort(eid, id);
    assertThat(r.openSessions()).isZero();
    assertThat(f.remaining(eid)).isEqualTo(3);
    assertThat(f.status(eid).profiles()).isEmpty();
    assertThatThrownBy(() -> r.accept(eid, id, segments.get(2)))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void aBrokenFirstSegment_closesTheSession_andChangesNothing() {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    assertThatThrownBy(() -> r.accept(eid, id, new byte[] {(byte) 0xA0, 0x00}))
        .isInstanceOf(SegmentationException.class)
        .extracting("code")
        .isEqualTo("unexpected-segment");
    assertThat(r.openSessions()).isZero();
    assertThat(f.remaining(eid)).isEqualTo(4);
  }

  @Test
  void aSessionNamingASpentKey_isRefusedAtTheFirstSegment_andChangesNothing() {
    BppEuiccOtpk first = BppEuiccOtpk.of(f.unusedKey(eid, 0));
    f.load(eid, f.bind(eid, 0));
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert(), first);
    byte[] header = Es10bSegmenter.split(f.bind(eid, 0)).get(0);
    assertThatThrownBy(() -> r.accept(eid, id, header))
        .isInstanceOf(OneTimeKeyUnavailableException.class)
        .extracting("code")
        .isEqualTo("one-time-key-spent");
    assertThat(r.openSessions()).isZero();
    assertThat(f.remaining(eid)).isEqualTo(3);
  }

  @Test
  void sessionOfAnotherChip_isNotFound() {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    byte[] first = Es10bSegmenter.split(f.bind(eid, 0)).get(0);
    assertThatThrownBy(() -> r.accept(f.newChip(), id, first))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void idleSession_expires() {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(eid, cert());
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    byte[] first = Es10bSegmenter.split(f.bind(eid, 0)).get(0);
    assertThatThrownBy(() -> r.accept(eid, id, first))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void sessionCount_isBounded() {
    LoadSessionRegistry r = registry(2);
    r.start(eid, cert());
    r.start(eid, cert());
    assertThatThrownBy(() -> r.start(eid, cert()))
        .isInstanceOf(LoadSessionRegistry.TooManySessionsException.class);
  }

  @Test
  void segmentListMissingTheEnd_isAnsweredStructureError_keyConsumed_nothingInstalled() {
    List<byte[]> segments = Es10bSegmenter.split(f.bind(eid, 0));
    LoadOutcome o = registry(2).loadSegments(eid, cert(), null, segments.subList(0, 5));
    assertThat(o.installed()).isFalse();
    assertThat(o.errorReason()).contains("scp03tStructureError");
    assertThat(f.remaining(eid)).isEqualTo(3);
    assertThat(f.status(eid).profiles()).isEmpty();
  }

  @Test
  void emptySegmentList_isIncomplete_andChangesNothing() {
    assertThatThrownBy(() -> registry(2).loadSegments(eid, cert(), null, List.of()))
        .extracting("code")
        .isEqualTo("incomplete-package");
    assertThat(f.remaining(eid)).isEqualTo(4);
  }

  @Test
  void segmentList_isAnsweredAtTheFirstFailingSegment_theRestUnread() {
    List<byte[]> segments = new java.util.ArrayList<>(Es10bSegmenter.split(f.bind(eid, 0)));
    byte[] third = segments.get(3);
    third[third.length - 12] ^= 1; // an 88's ciphertext
    segments.set(segments.size() - 1, new byte[] {1, 2, 3}); // never read
    LoadOutcome o = registry(2).loadSegments(eid, cert(), null, segments);
    assertThat(o.errorReason()).contains("scp03tSecurityError");
    assertThat(f.remaining(eid)).isEqualTo(3);
  }
}
