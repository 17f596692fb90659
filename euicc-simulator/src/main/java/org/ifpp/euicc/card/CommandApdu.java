package org.ifpp.euicc.card;

import java.util.Arrays;

/**
 * A short command APDU (ISO/IEC 7816-4 section 5.1): header {@code CLA INS P1 P2}, then case 1 (no
 * body), case 2 ({@code Le}), case 3 ({@code Lc data}) or case 4 ({@code Lc data Le}). Extended
 * lengths are not used by ES10 (STORE DATA blocks are at most 255 bytes) and are refused.
 *
 * @param le the expected response length, 1 to 256 ({@code 00} means 256), or -1 when absent
 */
record CommandApdu(int cla, int ins, int p1, int p2, byte[] data, int le) {

  CommandApdu {
    data = data.clone();
  }

  /**
   * @return the command, or null if the bytes are not a well-formed short APDU
   */
  static CommandApdu parse(byte[] apdu) {
    if (apdu == null || apdu.length < 4) {
      return null;
    }
    int cla = apdu[0] & 0xFF;
    int ins = apdu[1] & 0xFF;
    int p1 = apdu[2] & 0xFF;
    int p2 = apdu[3] & 0xFF;
    if (apdu.length == 4) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], -1);
    }
    int first = apdu[4] & 0xFF;
    if (apdu.length == 5) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], first == 0 ? 256 : first);
    }
    if (first == 0) {
      return null; // extended length
    }
    if (apdu.length == 5 + first) {
      return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(apdu, 5, 5 + first), -1);
    }
    if (apdu.length == 6 + first) {
      int le = apdu[5 + first] & 0xFF;
      return new CommandApdu(
          cla, ins, p1, p2, Arrays.copyOfRange(apdu, 5, 5 + first), le == 0 ? 256 : le);
    }
    return null;
  }

  boolean hasData() {
    return data.length > 0;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommandApdu c
        && cla == c.cla
        && ins == c.ins
        && p1 == c.p1
        && p2 == c.p2
        && le == c.le
        && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data) * 31 + (cla << 24 | ins << 16 | p1 << 8 | p2);
  }

  @Override
  public String toString() {
    return String.format(
        "CommandApdu[%02X %02X %02X %02X, Lc=%d, Le=%d]", cla, ins, p1, p2, data.length, le);
  }
}
