package org.ifpp.euicc.card;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stdio APDU protocol of LPAs that drive external card programs (lpac's {@code stdio} APDU
 * driver): one JSON object per line. Requests {@code {"type":"apdu","payload":{"func":F,
 * "param":HEX}}} with F one of {@code connect}, {@code disconnect}, {@code logic_channel_open}
 * (param: the AID to select), {@code logic_channel_close} (param: the channel number) and {@code
 * transmit} (param: the command APDU); each is answered {@code {"type":"apdu","payload":{"ecode":N,
 * "data":HEX}}}: ecode 0 (or the channel number for {@code logic_channel_open}), negative on
 * failure, data the response APDU of {@code transmit}.
 *
 * <p>{@code logic_channel_open} opens a logical channel with MANAGE CHANNEL and selects the AID on
 * it, as the LPA's PC/SC driver would. Lines that are not APDU requests (lpac also writes {@code
 * lpa} and {@code progress} objects) get no answer. The server ends at {@code disconnect} or end of
 * input.
 */
public final class StdioCardServer {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final ApduCard card;

  public StdioCardServer(ApduCard card) {
    this.card = Objects.requireNonNull(card, "card");
  }

  /**
   * @return the number of requests answered
   */
  public long serve(BufferedReader in, PrintStream out) throws IOException {
    return serve(in, out, null);
  }

  /**
   * The same, copying every line that is not an APDU request to {@code others} (an LPA's own
   * output, e.g. lpac's {@code lpa} result), when given.
   */
  public long serve(BufferedReader in, PrintStream out, PrintStream others) throws IOException {
    long answered = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      Answer a = answer(line);
      if (a == null) {
        // not an APDU request: lpac also prints "lpa" and "progress" lines
        if (others != null) {
          others.println(line);
        }
        continue;
      }
      ObjectNode payload = JSON.createObjectNode();
      payload.put("ecode", a.ecode());
      payload.put("data", HEX.formatHex(a.data()));
      ObjectNode message = JSON.createObjectNode();
      message.put("type", "apdu");
      message.set("payload", payload);
      out.println(JSON.writeValueAsString(message));
      out.flush();
      answered++;
      if (a.last()) {
        return answered;
      }
    }
    return answered;
  }

  private record Answer(int ecode, byte[] data, boolean last) {
    static Answer ok() {
      return new Answer(0, new byte[0], false);
    }

    static Answer error() {
      return new Answer(-1, new byte[0], false);
    }
  }

  private Answer answer(String line) {
    String func;
    String param;
    try {
      JsonNode request = JSON.readTree(line);
      JsonNode payload = request.path("payload");
      if (!"apdu".equals(request.path("type").asString(""))) {
        return null;
      }
      func = payload.path("func").asString("");
      param = payload.path("param").asString("");
    } catch (JacksonException e) {
      return null;
    }
    if ("logic_channel_close".equals(func)) {
      return closeChannel(param);
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex(param);
    } catch (IllegalArgumentException e) {
      return Answer.error();
    }
    return switch (func) {
      case "connect" -> {
        card.reset();
        yield Answer.ok();
      }
      case "disconnect" -> new Answer(0, new byte[0], true);
      case "transmit" -> new Answer(0, card.transmit(bytes), false);
      case "logic_channel_open" -> openChannel(bytes);
      default -> Answer.error();
    };
  }

  private Answer openChannel(byte[] aid) {
    if (aid.length == 0 || aid.length > 16) {
      return Answer.error();
    }
    byte[] open = card.transmit(new byte[] {0x00, 0x70, 0x00, 0x00, 0x01});
    if (open.length != 3 || open[1] != (byte) 0x90) {
      return Answer.error();
    }
    int channel = open[0];
    byte[] select = new byte[5 + aid.length];
    select[0] = (byte) (channel < 4 ? channel : 0x40 | (channel - 4));
    select[1] = (byte) 0xA4;
    select[2] = 0x04;
    select[3] = 0x00;
    select[4] = (byte) aid.length;
    System.arraycopy(aid, 0, select, 5, aid.length);
    byte[] r = card.transmit(select);
    int sw1 = r[r.length - 2] & 0xFF;
    if (sw1 != 0x90 && sw1 != 0x61) {
      card.transmit(new byte[] {0x00, 0x70, (byte) 0x80, (byte) channel});
      return Answer.error();
    }
    return new Answer(channel, new byte[0], false);
  }

  /** {@code param}: the channel number, as lpac sends it (decimal text). */
  private Answer closeChannel(String param) {
    int channel;
    try {
      channel = Integer.parseInt(param.strip());
    } catch (NumberFormatException e) {
      return Answer.error();
    }
    if (channel < 1 || channel > 19) {
      return Answer.error();
    }
    byte[] r = card.transmit(new byte[] {0x00, 0x70, (byte) 0x80, (byte) channel});
    return r.length == 2 && r[0] == (byte) 0x90 ? Answer.ok() : Answer.error();
  }
}
