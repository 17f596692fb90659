package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.card.TestLpa.Response;
import org.ifpp.euicc.loading.LoadSessionRegistry;
import org.ifpp.euicc.loading.LoadSessionRegistry.SegmentResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's STORE DATA commands and the HTTP load sessions take one segmented path: for the same
 * package on two chips in the same state, both answer at the same segment, with the same signed
 * reason, and leave the same one-time keys.
 */
class SegmentedTransportsTest {

  @TempDir Path dir;
  CardFixture f;
  LoadSessionRegistry sessions;

  /** Where a transport answered, and what. */
  record Answer(int segment, String reason, int bppCommandId, int keysLeft, int profiles) {}

  @BeforeEach
  void setUp() {
    f = new CardFixture(dir);
    sessions =
        new LoadSessionRegistry(
            f.sim.service, 1 << 20, Duration.ofMinutes(5), 10, Clock.systemUTC());
  }

  Answer overApdus(Eid chip, List<byte[]> segments) {
    TestLpa lpa = f.lpa(chip);
    assertThat(lpa.es10(TlvWriter.encode(0xF4, f.certificate())).sw()).isEqualTo(0x9000);
    for (int i = 0; i < segments.size(); i++) {
      Response r = lpa.es10(segments.get(i));
      assertThat(r.sw()).isEqualTo(0x9000);
      if (r.data().length > 0) {
        return answer(chip, i, r.data());
      }
    }
    throw new AssertionError("the card never answered");
  }

  Answer overHttpSession(Eid chip, List<byte[]> segments) {
    UUID id = sessions.start(chip, f.certificate());
    for (int i = 0; i < segments.size(); i++) {
      SegmentResult r = sessions.accept(chip, id, segments.get(i));
      if (r instanceof SegmentResult.Completed done) {
        assertThat(sessions.openSessions()).as("an answered session ends").isZero();
        return answer(chip, i, done.outcome().profileInstallationResult());
      }
    }
    throw new AssertionError("the session never answered");
  }

  Answer answer(Eid chip, int segment, byte[] pir) {
    var data = Sgp22Der.profileInstallationResult(pir).getProfileInstallationResultData();
    var error = data.getFinalResult().getErrorResult();
    return new Answer(
        segment,
        error == null ? "installed" : error.getErrorReason().toString(),
        error == null ? -1 : error.getBppCommandId().intValue(),
        f.sim.remaining(chip),
        f.sim.status(chip).profiles().size());
  }

  /** The same change to a package bound to each of two fresh chips, loaded over each transport. */
  void bothTransportsAgree(Function<List<byte[]>, List<byte[]>> change, Answer expected) {
    Eid card = f.sim.newChip();
    Eid http = f.sim.newChip();
    Answer overCard = overApdus(card, change.apply(CardFixture.segments(f.sim.bind(card, 0))));
    Answer overHttp =
        overHttpSession(http, change.apply(CardFixture.segments(f.sim.bind(http, 0))));
    assertThat(overHttp).isEqualTo(overCard).isEqualTo(expected);
  }

  @Test
  void aGoodPackage_installsAtTheLastSegment_overBothTransports() {
    int last = CardFixture.segments(f.sim.bind(f.sim.newChip(), 0)).size() - 1;
    bothTransportsAgree(s -> s, new Answer(last, "installed", -1, 3, 1));
  }

  @Test
  void aTampered86InTheMiddle_isAnsweredAtThatSegment_overBothTransports_keyConsumed() {
    int middle = CardFixture.segments(f.sim.bind(f.sim.newChip(), 0)).size() - 5;
    bothTransportsAgree(
        s -> {
          byte[] target = s.get(middle);
          assertThat(target[0]).isEqualTo((byte) 0x86);
          target[target.length - 12] ^= 1; // the ciphertext, before the MAC
          return s;
        },
        // loadProfileElements (5), scp03tSecurityError (8): the rest was never needed
        new Answer(middle, "8", 5, 3, 0));
  }

  @Test
  void aSignatureThatFails_isAnsweredAtTheFirstSegment_overBothTransports_nothingConsumed() {
    bothTransportsAgree(
        s -> {
          byte[] first = s.get(0);
          first[first.length - 10] ^= 1; // inside smdpSign, the BF23's last field
          return s;
        },
        // initialiseSecureChannel (0), invalidSignature (2)
        new Answer(0, "2", 0, 4, 0));
  }

  @Test
  void aSegmentMissingAfterTheFirst_isAnsweredWhereItBreaks_overBothTransports() {
    bothTransportsAgree(
        s -> {
          List<byte[]> broken = new ArrayList<>(s);
          broken.remove(1); // the A0: the A1 header comes in its place
          return broken;
        },
        // configureISDP (1), scp03tStructureError (7)
        new Answer(1, "7", 1, 3, 0));
  }
}
