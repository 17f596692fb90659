package org.ifpp.euicc.card;

import java.nio.file.Path;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.loading.Es10bSegmenter;
import org.ifpp.euicc.loading.LoadFixture;
import org.ifpp.euicc.notifications.NotificationService;
import org.ifpp.euicc.profiles.ProfileManagementService;

/** A simulator in a temporary directory with cards over its chips. */
final class CardFixture {

  final LoadFixture sim;

  CardFixture(Path dir) {
    sim = new LoadFixture(dir);
  }

  CardServices services() {
    return new CardServices(
        sim.chips,
        sim.service,
        new NotificationService(sim.chips),
        new ProfileManagementService(sim.chips),
        new org.ifpp.euicc.finalisation.FinalisationService(
            sim.chips, new org.ifpp.euicc.chip.ChipSigners(sim.random)),
        CardServices.subjectKeyIds(sim.trusted),
        CardServices.GSMA_ROOT_DS,
        1 << 20);
  }

  ApduCard card(Eid eid) {
    return new ApduCard(eid, services());
  }

  TestLpa lpa(Eid eid) {
    return new TestLpa(card(eid)).openAndSelect();
  }

  byte[] certificate() {
    return sim.keyMaker.certificateDer();
  }

  static List<byte[]> segments(byte[] bpp) {
    return Es10bSegmenter.split(bpp);
  }
}
