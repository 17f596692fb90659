package org.ifpp.euicc.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.PendingNotification;
import org.ifpp.euicc.notifications.NotificationNotFoundException;
import org.ifpp.euicc.notifications.NotificationService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every signed result a load produces is kept as a pending notification (SGP.22 5.7.9-5.7.11) in
 * the chip's durable state, byte for byte, until it is removed.
 */
class LoadNotificationTest {

  @TempDir Path dir;
  LoadFixture f;
  Eid eid;

  @BeforeEach
  void setUp() {
    f = new LoadFixture(dir);
    eid = f.newChip();
  }

  NotificationService notifications() {
    return new NotificationService(f.chips);
  }

  @Test
  void install_keepsItsSignedResult_byteForByte() {
    LoadOutcome o = f.load(eid, f.bind(eid, 0));
    assertThat(o.installed()).isTrue();
    List<PendingNotification> list = notifications().list(eid);
    assertThat(list).hasSize(1);
    PendingNotification n = list.get(0);
    assertThat(n.profileInstallationResult()).isEqualTo(o.profileInstallationResult());
    assertThat(n.installed()).isTrue();
    assertThat(n.iccid()).isEqualTo(o.iccid());
    assertThat(n.transactionId()).isEqualTo(o.transactionId().orElseThrow());
  }

  @Test
  void notifications_surviveARestart_byteForByte() {
    LoadOutcome installed = f.load(eid, f.bind(eid, 0));
    LoadOutcome failed = f.load(eid, BppSurgery.flip(f.bind(eid, 0), 0xA3, 0, 20));
    assertThat(failed.installed()).isFalse();
    f.restart();
    List<PendingNotification> list = notifications().list(eid);
    assertThat(list).hasSize(2);
    assertThat(list.get(0).profileInstallationResult())
        .isEqualTo(installed.profileInstallationResult());
    assertThat(list.get(1).profileInstallationResult())
        .isEqualTo(failed.profileInstallationResult());
    assertThat(list.get(1).installed()).isFalse();
    assertThat(list.get(1).iccid()).isEmpty();
    assertThat(list.get(0).seqNumber()).isLessThan(list.get(1).seqNumber());
  }

  @Test
  void removal_isDurable_andASecondRemovalIsNotFound() {
    f.load(eid, f.bind(eid, 0));
    long seq = notifications().list(eid).get(0).seqNumber();
    notifications().remove(eid, seq);
    assertThat(notifications().list(eid)).isEmpty();
    f.restart();
    assertThat(notifications().list(eid)).isEmpty();
    assertThatThrownBy(() -> notifications().remove(eid, seq))
        .isInstanceOf(NotificationNotFoundException.class);
  }

  @Test
  void replay_addsNoNotificationForTheTransaction_andKeepsTheOriginal() {
    byte[] bpp = f.bind(eid, 0);
    LoadOutcome original = f.load(eid, bpp);
    LoadOutcome replay = f.load(eid, bpp);
    assertThat(replay.errorReason()).contains("invalidSignature");
    f.restart();
    List<PendingNotification> list = notifications().list(eid);
    assertThat(list).hasSize(1);
    assertThat(list.get(0).installed()).isTrue();
    assertThat(list.get(0).profileInstallationResult())
        .isEqualTo(original.profileInstallationResult());
  }

  @Test
  void replay_afterTheOriginalWasRemoved_isKeptAsAFailure() {
    byte[] bpp = f.bind(eid, 0);
    f.load(eid, bpp);
    notifications().remove(eid, notifications().list(eid).get(0).seqNumber());
    LoadOutcome replay = f.load(eid, bpp);
    assertThat(notifications().list(eid))
        .singleElement()
        .satisfies(n -> assertThat(n.installed()).isFalse())
        .satisfies(
            n ->
                assertThat(n.profileInstallationResult())
                    .isEqualTo(replay.profileInstallationResult()));
  }

  @Test
  void failures_areCapped_andTheSuccessIsNeverDropped() {
    byte[] bpp = f.bind(eid, 0);
    f.load(eid, bpp);
    byte[] garbageTx = BppSurgery.flip(f.bind(eid, 1), 0xA3, 0, 20);
    f.load(eid, garbageTx);
    // Clones of other chips' packages: each a signed refusal for a new transaction.
    for (int i = 0; i < Chip.MAX_PENDING_FAILURES + 3; i++) {
      Eid other = f.newChip();
      f.load(eid, f.bind(other, 0));
    }
    List<PendingNotification> list = notifications().list(eid);
    assertThat(list.stream().filter(PendingNotification::installed)).hasSize(1);
    assertThat(list.stream().filter(n -> !n.installed())).hasSize(Chip.MAX_PENDING_FAILURES);
  }
}
