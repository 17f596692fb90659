package org.ifpp.euicc.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.Test;

class LoadSessionRegistryTest {

  static final Eid EID = Eid.of("89049032123451234512345678901235");
  static final Eid OTHER = Eid.withCheckDigits("890490321234512345123456789013");

  final List<byte[]> loaded = new ArrayList<>();
  final PackageLoader recording =
      new PackageLoader() {
        @Override
        public LoadOutcome load(
            Eid eid, byte[] bpp, byte[] cert, org.ifpp.crypto.bpp.BppEuiccOtpk named) {
          loaded.add(bpp);
          return new LoadOutcome(
              eid, true, Optional.empty(), Optional.empty(), Optional.empty(), 3, new byte[] {1});
        }

        @Override
        public void requireUnusedOneTimeKey(Eid eid, org.ifpp.crypto.bpp.BppEuiccOtpk named) {}

        @Override
        public SegmentedLoad beginLoading(
            Eid eid, byte[] bf23, byte[] cert, org.ifpp.crypto.bpp.BppEuiccOtpk named) {
          throw new UnsupportedOperationException("the REST sessions load whole packages");
        }
      };

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

  final MutableClock clock = new MutableClock();

  LoadSessionRegistry registry(int maxSessions) {
    return new LoadSessionRegistry(recording, 1 << 20, Duration.ofMinutes(5), maxSessions, clock);
  }

  @Test
  void lastSegment_loadsTheReassembledPackageOnce() throws Exception {
    byte[] bpp = Es10bSegmentAssemblerTest.pysimBpp();
    List<byte[]> segments = Es10bSegmenter.split(bpp);
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(EID, new byte[] {0x30});
    LoadSessionRegistry.SegmentResult last = null;
    for (byte[] s : segments) {
      last = r.accept(EID, id, s);
    }
    assertThat(last).isInstanceOf(LoadSessionRegistry.SegmentResult.Completed.class);
    assertThat(loaded).hasSize(1);
    assertThat(loaded.get(0)).isEqualTo(bpp);
    assertThat(r.openSessions()).isZero();
    assertThatThrownBy(() -> r.accept(EID, id, segments.get(0)))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void sessionOfAnotherChip_isNotFound() throws Exception {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(EID, new byte[] {0x30});
    byte[] first = Es10bSegmenter.split(Es10bSegmentAssemblerTest.pysimBpp()).get(0);
    assertThatThrownBy(() -> r.accept(OTHER, id, first))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void framingError_closesTheSessionWithoutLoading() throws Exception {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(EID, new byte[] {0x30});
    assertThatThrownBy(() -> r.accept(EID, id, new byte[] {(byte) 0xA0, 0x00}))
        .isInstanceOf(SegmentationException.class);
    assertThat(r.openSessions()).isZero();
    assertThat(loaded).isEmpty();
  }

  @Test
  void idleSession_expires() throws Exception {
    LoadSessionRegistry r = registry(10);
    UUID id = r.start(EID, new byte[] {0x30});
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    byte[] first = Es10bSegmenter.split(Es10bSegmentAssemblerTest.pysimBpp()).get(0);
    assertThatThrownBy(() -> r.accept(EID, id, first))
        .isInstanceOf(LoadSessionRegistry.SessionNotFoundException.class);
  }

  @Test
  void sessionCount_isBounded() {
    LoadSessionRegistry r = registry(2);
    r.start(EID, new byte[] {0x30});
    r.start(EID, new byte[] {0x30});
    assertThatThrownBy(() -> r.start(EID, new byte[] {0x30}))
        .isInstanceOf(LoadSessionRegistry.TooManySessionsException.class);
  }

  @Test
  void segmentListMissingTheEnd_isRejectedWithoutLoading() throws Exception {
    List<byte[]> segments = Es10bSegmenter.split(Es10bSegmentAssemblerTest.pysimBpp());
    assertThatThrownBy(() -> registry(2).loadSegments(EID, new byte[1], segments.subList(0, 5)))
        .extracting("code")
        .isEqualTo("incomplete-package");
    assertThat(loaded).isEmpty();
  }
}
