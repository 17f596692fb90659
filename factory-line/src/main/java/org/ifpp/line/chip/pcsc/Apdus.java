package org.ifpp.line.chip.pcsc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.ifpp.line.chip.ChipUnavailableException;

/**
 * ES10 over one card channel as an LPA sends it: SELECT of the ISD-R, each ES10 command in STORE
 * DATA blocks ({@code 80 E2 11|91 blockNumber}, up to 255 bytes each), a response longer than one
 * APDU collected with GET RESPONSE (the JDK's channel does that on {@code 61xx}).
 */
final class Apdus {

  static final byte[] ISD_R_AID = HexFormat.of().parseHex("A0000005591010FFFFFFFF8900000100");
  private static final int BLOCK = 255;

  private final CardChannel channel;
  private long sent;

  Apdus(CardChannel channel) {
    this.channel = channel;
  }

  /** APDUs sent on this channel so far. */
  long sent() {
    return sent;
  }

  void selectIsdR() {
    ResponseAPDU r = transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, ISD_R_AID, 256));
    if (r.getSW() != 0x9000) {
      throw new ChipUnavailableException(
          "card-error", String.format("SELECT ISD-R answered %04X", r.getSW()));
    }
  }

  /** Sends one ES10 command; returns its response data (empty for an intermediate segment). */
  byte[] es10(byte[] command) {
    int blocks = Math.max(1, (command.length + BLOCK - 1) / BLOCK);
    if (blocks > 256) {
      throw new IllegalArgumentException("ES10 command longer than 256 blocks");
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (int i = 0; i < blocks; i++) {
      byte[] block =
          Arrays.copyOfRange(command, i * BLOCK, Math.min(command.length, (i + 1) * BLOCK));
      boolean last = i == blocks - 1;
      ResponseAPDU r =
          last
              ? transmit(new CommandAPDU(0x80, 0xE2, 0x91, i, block, 256))
              : transmit(new CommandAPDU(0x80, 0xE2, 0x11, i, block));
      if (r.getSW() != 0x9000) {
        throw new ChipUnavailableException(
            "card-error", String.format("STORE DATA block %d answered %04X", i, r.getSW()));
      }
      data.writeBytes(r.getData());
    }
    return data.toByteArray();
  }

  private ResponseAPDU transmit(CommandAPDU command) {
    try {
      sent++;
      return channel.transmit(command);
    } catch (CardException | IllegalStateException e) {
      throw new ChipUnavailableException(
          "card-removed", "the card stopped answering: " + e.getMessage(), e);
    }
  }
}
