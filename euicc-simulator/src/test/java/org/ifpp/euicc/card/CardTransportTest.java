package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vpcd reader protocol and the stdio APDU protocol in front of a card. */
class CardTransportTest {

  @TempDir Path dir;

  @Test
  void vpcd_controlsAndApdus_overTheLengthPrefixedSocket() throws Exception {
    CardFixture f = new CardFixture(dir);
    Eid eid = f.sim.newChip();
    ApduCard card = f.card(eid);
    try (ServerSocket vpcd = new ServerSocket(0)) {
      VpcdClient client =
          new VpcdClient(card, new InetSocketAddress("127.0.0.1", vpcd.getLocalPort()));
      CompletableFuture<Long> served =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.serve();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (Socket s = vpcd.accept()) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(s.getInputStream());
        send(out, new byte[] {1}); // power on: no answer
        send(out, new byte[] {4}); // ATR
        assertThat(read(in)).isEqualTo(card.atr());
        send(out, HexFormat.of().parseHex("00A4040C10" + IsdR.AID));
        assertThat(read(in)).containsExactly(0x90, 0x00);
        send(out, HexFormat.of().parseHex("80E2910006BF3E035C015A00"));
        String r = HexFormat.of().withUpperCase().formatHex(read(in));
        assertThat(r)
            .isEqualTo(
                "BF3E125A10" + HexFormat.of().withUpperCase().formatHex(eid.toBytes()) + "9000");
        send(out, new byte[] {2}); // reset: the selection is gone
        send(out, HexFormat.of().parseHex("80E2910006BF3E035C015A00"));
        assertThat(read(in)).containsExactly(0x69, 0x85);
      }
      assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }
  }

  @Test
  void vpcd_stop_endsServing() throws Exception {
    CardFixture f = new CardFixture(dir);
    ApduCard card = f.card(f.sim.newChip());
    try (ServerSocket vpcd = new ServerSocket(0)) {
      VpcdClient client =
          new VpcdClient(card, new InetSocketAddress("127.0.0.1", vpcd.getLocalPort()));
      CompletableFuture<Long> served =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.serve();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (Socket s = vpcd.accept()) {
        client.stop();
        assertThat(served.get(10, TimeUnit.SECONDS)).isZero();
      }
    }
  }

  @Test
  void stdio_connectOpenChannelTransmitCloseDisconnect() throws Exception {
    CardFixture f = new CardFixture(dir);
    Eid eid = f.sim.newChip();
    String input =
        String.join(
            "\n",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"connect\",\"param\":\"\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"logic_channel_open\",\"param\":\""
                + IsdR.AID
                + "\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"transmit\",\"param\":\"81E2910006BF3E035C015A00\"}}",
            "not json",
            "{\"type\":\"progress\",\"payload\":{\"code\":\"x\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"transmit\",\"param\":\"XY\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"logic_channel_close\",\"param\":\"1\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"disconnect\",\"param\":\"\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"transmit\",\"param\":\"00\"}}");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long n =
        new StdioCardServer(f.card(eid))
            .serve(
                new BufferedReader(new StringReader(input)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(n).isEqualTo(6); // "not json" and the progress line get no answer
    assertThat(lines[0]).isEqualTo("{\"type\":\"apdu\",\"payload\":{\"ecode\":0,\"data\":\"\"}}");
    assertThat(lines[1]).contains("\"ecode\":1");
    assertThat(lines[2])
        .contains(
            "\"data\":\"BF3E125A10"
                + HexFormat.of().withUpperCase().formatHex(eid.toBytes())
                + "9000\"");
    assertThat(lines[3]).contains("\"ecode\":-1"); // bad hex
    assertThat(lines[4]).contains("\"ecode\":0"); // channel 1 closed
    assertThat(lines[5]).contains("\"ecode\":0"); // disconnect
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
