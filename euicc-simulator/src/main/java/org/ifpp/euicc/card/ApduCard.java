package org.ifpp.euicc.card;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.ifpp.crypto.ids.Eid;

/**
 * One simulated chip as a smart card: the ISO/IEC 7816-4 and GlobalPlatform framing in front of the
 * ISD-R's ES10 functions (SGP.22 section 5.7). Plain Java: a PC/SC reader (vpcd), an LPA's stdio
 * card program or a test drives it through {@link #atr()}, {@link #transmit(byte[])} and {@link
 * #reset()}.
 *
 * <ul>
 *   <li>Logical channels 0-19: MANAGE CHANNEL ({@code INS 70}) opens and closes 1-19; the channel
 *       of a command is in its CLA (first interindustry {@code 0x00-0x03} and {@code 0x80-0x83} for
 *       0-3; further interindustry {@code 0x40-0x4F} and {@code 0xC0-0xCF} for 4-19).
 *   <li>SELECT by DF name ({@code 00 A4 04 00|0C}) of the ISD-R's AID on any open channel.
 *   <li>STORE DATA ({@code 80 E2}) carries one ES10 command in blocks of any size up to 255 bytes:
 *       P1 {@code 11} when more blocks follow, {@code 91} on the last, P2 the block number from 0
 *       for each command.
 *   <li>A response goes out up to Le with {@code 61xx} for the rest (without Le, all of it through
 *       {@code 61xx}), collected with GET RESPONSE ({@code 00 C0 00 00 Le}).
 * </ul>
 *
 * <p>Malformed or out-of-order input is answered with its status word and changes nothing on the
 * chip: a bad block discards only the command being chained on that channel. Not thread-safe on its
 * own; {@link #transmit} is synchronized as a card reader serialises access.
 */
public final class ApduCard {

  /** T=1, no interface bytes beyond TD1, historical bytes "IFPP eUICC", TCK. */
  private static final byte[] ATR =
      atrWithCheck(
          "3B8A8001"
              + HexFormat.of()
                  .formatHex("IFPP eUICC".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

  private static final byte[] ISD_R_AID = HexFormat.of().parseHex(IsdR.AID);
  private static final int CHANNELS = 20;

  /** The longest ES10 command: a profile segment or a certificate is about 1 KB. */
  static final int MAX_COMMAND = 16 * 1024;

  private static final int INS_MANAGE_CHANNEL = 0x70;
  private static final int INS_SELECT = 0xA4;
  private static final int INS_GET_RESPONSE = 0xC0;
  private static final int INS_STORE_DATA = 0xE2;

  private final Eid eid;
  private final CardServices services;
  private final Channel[] channels = new Channel[CHANNELS];

  public ApduCard(Eid eid, CardServices services) {
    this.eid = Objects.requireNonNull(eid, "eid");
    this.services = Objects.requireNonNull(services, "services");
    services.chips().get(eid); // fails now for an unknown EID
    reset();
  }

  public Eid eid() {
    return eid;
  }

  /** The Answer To Reset. */
  public byte[] atr() {
    return ATR.clone();
  }

  /** A cold or warm reset: only the basic channel stays open, nothing is selected. */
  public synchronized void reset() {
    for (Channel ch : channels) {
      if (ch != null) {
        ch.close();
      }
    }
    Arrays.fill(channels, null);
    channels[0] = new Channel();
  }

  /** Processes one command APDU and returns the response APDU (data and status word). */
  public synchronized byte[] transmit(byte[] commandApdu) {
    try {
      return process(commandApdu);
    } catch (RuntimeException e) {
      // Never crash the card: whatever went wrong, the chip's state is what its services left.
      return StatusWord.bytes(StatusWord.NO_PRECISE_DIAGNOSIS);
    }
  }

  private byte[] process(byte[] raw) {
    CommandApdu c = CommandApdu.parse(raw);
    if (c == null) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    int cla = c.cla();
    if (cla == 0xFF) {
      return sw(StatusWord.CLA_NOT_SUPPORTED);
    }
    boolean proprietary = (cla & 0x80) != 0;
    int channel;
    if ((cla & 0x40) == 0) {
      if ((cla & 0x20) != 0) {
        return sw(StatusWord.CLA_NOT_SUPPORTED); // 001x xxxx is RFU
      }
      if ((cla & 0x0C) != 0) {
        return sw(StatusWord.SECURE_MESSAGING_NOT_SUPPORTED);
      }
      channel = cla & 0x03;
    } else {
      if ((cla & 0x20) != 0) {
        return sw(StatusWord.SECURE_MESSAGING_NOT_SUPPORTED);
      }
      channel = 4 + (cla & 0x0F);
    }
    if ((cla & 0x10) != 0) {
      return sw(StatusWord.COMMAND_CHAINING_NOT_SUPPORTED);
    }
    Channel ch = channels[channel];
    if (ch == null) {
      return sw(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
    }
    if (c.ins() == INS_GET_RESPONSE) {
      // Either class: readers (the JDK's among them) repeat the command's CLA in GET RESPONSE.
      return getResponse(ch, c);
    }
    ch.pending = null; // any other command ends a pending response
    return switch (c.ins()) {
      case INS_MANAGE_CHANNEL ->
          proprietary ? sw(StatusWord.CLA_NOT_SUPPORTED) : manageChannel(channel, c);
      case INS_SELECT -> proprietary ? sw(StatusWord.CLA_NOT_SUPPORTED) : select(ch, c);
      case INS_STORE_DATA -> proprietary ? storeData(ch, c) : sw(StatusWord.CLA_NOT_SUPPORTED);
      default -> sw(StatusWord.INS_NOT_SUPPORTED);
    };
  }

  private byte[] manageChannel(int from, CommandApdu c) {
    if (c.hasData()) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (c.p1() == 0x00) {
      int target = c.p2();
      if (target == 0) {
        for (int i = 1; i < CHANNELS && target == 0; i++) {
          if (channels[i] == null) {
            target = i;
          }
        }
        if (target == 0) {
          return sw(StatusWord.FUNCTION_NOT_SUPPORTED);
        }
      } else if (target >= CHANNELS) {
        return sw(StatusWord.INCORRECT_P1P2);
      } else if (channels[target] != null) {
        return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
      }
      channels[target] = new Channel();
      return c.p2() == 0 ? response(new byte[] {(byte) target}, StatusWord.OK) : sw(StatusWord.OK);
    }
    if (c.p1() == 0x80) {
      int target = c.p2() == 0 ? from : c.p2();
      if (target == 0 || target >= CHANNELS) {
        return sw(StatusWord.INCORRECT_P1P2);
      }
      if (channels[target] == null) {
        return sw(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
      }
      channels[target].close();
      channels[target] = null;
      return sw(StatusWord.OK);
    }
    return sw(StatusWord.INCORRECT_P1P2);
  }

  private byte[] select(Channel ch, CommandApdu c) {
    if (c.p1() != 0x04 || (c.p2() != 0x00 && c.p2() != 0x04 && c.p2() != 0x0C)) {
      return sw(StatusWord.INCORRECT_P1P2);
    }
    if (!c.hasData()) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (!Arrays.equals(c.data(), ISD_R_AID)) {
      return sw(StatusWord.FILE_NOT_FOUND); // the current selection stays
    }
    ch.close();
    ch.isdR = new IsdR(eid, services);
    ch.chain = null;
    if (c.p2() == 0x0C) {
      return sw(StatusWord.OK);
    }
    // FCI: 6F { 84 AID, A5 { 9F65 maximum length of data field in a command message } }
    byte[] fci = HexFormat.of().parseHex("6F188410" + IsdR.AID + "A5049F6501FF");
    return deliver(ch, fci, c.le());
  }

  private byte[] storeData(Channel ch, CommandApdu c) {
    if (ch.isdR == null) {
      ch.chain = null;
      return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    }
    boolean last;
    if (c.p1() == 0x91) {
      last = true;
    } else if (c.p1() == 0x11) {
      last = false;
    } else {
      ch.chain = null;
      return sw(StatusWord.INCORRECT_P1P2);
    }
    int expected = ch.chain == null ? 0 : ch.nextBlock;
    if (c.p2() != expected) {
      ch.chain = null;
      return sw(StatusWord.WRONG_P1P2);
    }
    if (!c.hasData()) {
      ch.chain = null;
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (ch.chain == null) {
      ch.chain = new ByteArrayOutputStream();
    }
    if (ch.chain.size() + c.data().length > MAX_COMMAND) {
      ch.chain = null;
      return sw(StatusWord.NOT_ENOUGH_MEMORY);
    }
    ch.chain.writeBytes(c.data());
    ch.nextBlock = expected + 1;
    if (!last) {
      return sw(StatusWord.OK);
    }
    byte[] command = ch.chain.toByteArray();
    ch.chain = null;
    Es10Response r = ch.isdR.process(command);
    if (r.sw() != StatusWord.OK) {
      return sw(r.sw());
    }
    return deliver(ch, r.data(), c.le());
  }

  private byte[] getResponse(Channel ch, CommandApdu c) {
    if (c.p1() != 0 || c.p2() != 0) {
      return sw(StatusWord.INCORRECT_P1P2);
    }
    if (c.hasData()) {
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (ch.pending == null) {
      return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    }
    byte[] rest = ch.pending;
    ch.pending = null;
    return deliver(ch, rest, c.le() < 0 ? 256 : c.le());
  }

  /**
   * Up to {@code le} bytes now (none when Le is absent) and {@code 61xx} while more remain, kept
   * for GET RESPONSE on this channel.
   */
  private static byte[] deliver(Channel ch, byte[] data, int le) {
    if (data.length == 0) {
      return sw(StatusWord.OK);
    }
    int now = le < 0 ? 0 : Math.min(le, data.length);
    int rest = data.length - now;
    if (rest == 0) {
      return response(data, StatusWord.OK);
    }
    ch.pending = Arrays.copyOfRange(data, now, data.length);
    return response(Arrays.copyOf(data, now), StatusWord.MORE_DATA | Math.min(rest, 256) & 0xFF);
  }

  private static byte[] response(byte[] data, int sw) {
    byte[] out = Arrays.copyOf(data, data.length + 2);
    out[data.length] = (byte) (sw >> 8);
    out[data.length + 1] = (byte) sw;
    return out;
  }

  private static byte[] sw(int sw) {
    return StatusWord.bytes(sw);
  }

  private static byte[] atrWithCheck(String hexWithoutTck) {
    byte[] atr = HexFormat.of().parseHex(hexWithoutTck);
    byte tck = 0;
    for (int i = 1; i < atr.length; i++) {
      tck ^= atr[i];
    }
    byte[] out = Arrays.copyOf(atr, atr.length + 1);
    out[atr.length] = tck;
    return out;
  }

  /** One logical channel's state. */
  private static final class Channel {
    IsdR isdR;
    ByteArrayOutputStream chain;
    int nextBlock;
    byte[] pending;

    /** A package being received on the channel is abandoned (its session keys wiped). */
    void close() {
      if (isdR != null) {
        isdR.close();
      }
    }
  }
}
