package org.ifpp.euicc.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.card.CardServices;
import org.ifpp.euicc.chip.ChipNotFoundException;
import org.ifpp.euicc.loading.LoadFixture;
import org.ifpp.euicc.notifications.NotificationService;
import org.ifpp.euicc.profiles.ProfileManagementService;
import org.ifpp.web.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chips into and out of readers; a local server socket stands in for vpcd. */
class ReaderServiceTest {

  @TempDir Path dir;

  @Test
  void insertSwapRemove_andTheirRefusals() throws Exception {
    LoadFixture sim = new LoadFixture(dir);
    ReaderService readers =
        new ReaderService(
            new CardServices(
                sim.chips,
                sim.service,
                new NotificationService(sim.chips),
                new ProfileManagementService(sim.chips),
                new org.ifpp.euicc.finalisation.FinalisationService(
                    sim.chips, new org.ifpp.euicc.chip.ChipSigners(sim.random)),
                java.util.List.of(),
                CardServices.GSMA_ROOT_DS,
                1 << 20),
            "127.0.0.1");
    Eid a = sim.newChip();
    Eid b = sim.newChip();
    try (ServerSocket vpcd = new ServerSocket(0)) {
      int port = vpcd.getLocalPort();
      readers.insert(port, a);
      try (Socket first = vpcd.accept()) {
        assertThat(getEid(first)).endsWith(a.value().substring(26));
        assertThat(readers.list()).extracting(ReaderService.Reader::eid).containsExactly(a);
        readers.insert(port, b); // the next device: the first card is taken out
        assertThat(first.getInputStream().read()).isEqualTo(-1);
      }
      try (Socket second = vpcd.accept()) {
        assertThat(getEid(second)).endsWith(b.value().substring(26));
      }
      assertThatThrownBy(() -> readers.insert(port + 1 == 65536 ? 1 : port + 1, b))
          .isInstanceOf(ReaderException.class)
          .extracting(e -> ((DomainException) e).code())
          .isEqualTo("chip-in-another-reader");
      assertThatThrownBy(() -> readers.insert(0, a))
          .extracting(e -> ((DomainException) e).code())
          .isEqualTo("invalid-reader");
      assertThatThrownBy(
              () -> readers.insert(port, Eid.withCheckDigits("890490329990000000000000000099")))
          .isInstanceOf(ChipNotFoundException.class);
      readers.remove(port);
      assertThat(readers.list()).isEmpty();
      assertThatThrownBy(() -> readers.remove(port))
          .extracting(e -> ((DomainException) e).code())
          .isEqualTo("reader-not-found");
    } finally {
      readers.removeAll();
    }
  }

  /** Selects the ISD-R and asks GetEID; returns the answer in hex. */
  private static String getEid(Socket s) throws Exception {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    DataInputStream in = new DataInputStream(s.getInputStream());
    send(out, java.util.HexFormat.of().parseHex("00A4040C10A0000005591010FFFFFFFF8900000100"));
    read(in);
    send(out, java.util.HexFormat.of().parseHex("80E2910006BF3E035C015A00"));
    byte[] r = read(in);
    return java.util.HexFormat.of().formatHex(r, 5, r.length - 2);
  }

  private static void send(DataOutputStream out, byte[] m) throws Exception {
    out.writeShort(m.length);
    out.write(m);
    out.flush();
  }

  private static byte[] read(DataInputStream in) throws Exception {
    byte[] m = new byte[in.readUnsignedShort()];
    in.readFully(m);
    return m;
  }
}
