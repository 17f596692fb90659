package org.ifpp.euicc.card;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** What an LPA does with a card, in the test: channels, SELECT, STORE DATA chaining, 61xx. */
final class TestLpa {

  /** One response APDU split into data and status word. */
  record Response(byte[] data, int sw) {
    String hex() {
      return HexFormat.of().withUpperCase().formatHex(data);
    }
  }

  final ApduCard card;
  int channel;
  int blockSize = 255;
  int apdus;

  TestLpa(ApduCard card) {
    this.card = card;
  }

  static Response split(byte[] r) {
    return new Response(
        Arrays.copyOf(r, r.length - 2), (r[r.length - 2] & 0xFF) << 8 | (r[r.length - 1] & 0xFF));
  }

  static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  Response raw(byte[] apdu) {
    apdus++;
    return split(card.transmit(apdu));
  }

  Response raw(String hexApdu) {
    return raw(hex(hexApdu));
  }

  int cla(int base) {
    return channel < 4 ? base | channel : (base & 0x80) | 0x40 | (channel - 4);
  }

  /** Opens a logical channel from the basic one, selects the ISD-R on it. */
  TestLpa openAndSelect() {
    Response r = raw("0070000001");
    if (r.sw() != 0x9000) {
      throw new AssertionError("MANAGE CHANNEL: " + Integer.toHexString(r.sw()));
    }
    channel = r.data()[0];
    select();
    return this;
  }

  void select() {
    Response r = collect(apdu(cla(0x00), 0xA4, 0x04, 0x00, hex(IsdR.AID), true));
    if (r.sw() != 0x9000) {
      throw new AssertionError("SELECT: " + Integer.toHexString(r.sw()));
    }
  }

  static byte[] apdu(int cla, int ins, int p1, int p2, byte[] data, boolean le) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(cla);
    b.write(ins);
    b.write(p1);
    b.write(p2);
    if (data.length > 0) {
      b.write(data.length);
      b.writeBytes(data);
    }
    if (le) {
      b.write(0);
    }
    return b.toByteArray();
  }

  /** Sends one ES10 command in STORE DATA blocks, collects a chained response. */
  Response es10(byte[] command) {
    int blocks = Math.max(1, (command.length + blockSize - 1) / blockSize);
    Response r = null;
    for (int i = 0; i < blocks; i++) {
      byte[] block =
          Arrays.copyOfRange(command, i * blockSize, Math.min(command.length, (i + 1) * blockSize));
      boolean last = i == blocks - 1;
      r = raw(apdu(cla(0x80), 0xE2, last ? 0x91 : 0x11, i, block, false));
      if (!last && r.sw() != 0x9000) {
        return r;
      }
    }
    return collect(r);
  }

  Response es10(String hexCommand) {
    return es10(hex(hexCommand));
  }

  /** GET RESPONSE while the card answers 61xx. */
  Response collect(byte[] apdu) {
    return collect(raw(apdu));
  }

  Response collect(Response first) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    Response r = first;
    data.writeBytes(r.data());
    while ((r.sw() & 0xFF00) == 0x6100) {
      // Le: the length 61xx announced (00 = 256)
      r = raw(new byte[] {(byte) cla(0x00), (byte) 0xC0, 0, 0, (byte) r.sw()});
      data.writeBytes(r.data());
    }
    return new Response(data.toByteArray(), r.sw());
  }

  /** Loads a package as an LPA cuts it (SGP.22 2.5.5), after the binding certificate. */
  Response load(byte[] certificateDer, List<byte[]> segments) {
    if (certificateDer != null) {
      Response c = es10(org.ifpp.crypto.tlv.TlvWriter.encode(0xF4, certificateDer));
      if (c.sw() != 0x9000) {
        return c;
      }
    }
    Response r = null;
    for (byte[] s : segments) {
      r = es10(s);
      if (r.sw() != 0x9000 || r.data().length > 0) {
        return r;
      }
    }
    return r;
  }
}
