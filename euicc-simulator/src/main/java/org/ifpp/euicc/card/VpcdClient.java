package org.ifpp.euicc.card;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a card into a virtual PC/SC reader of vsmartcard's {@code vpcd} (the pcscd driver that
 * listens on TCP, port 35963 for its first reader): every PC/SC application on the machine then
 * sees the chip as a card in reader {@code Virtual PCD 00 00}.
 *
 * <p>The protocol: each message is a 2-byte big-endian length and that many bytes. A 1-byte message
 * is a control: {@code 0} power off, {@code 1} power on, {@code 2} reset (each answered with
 * nothing), {@code 4} get ATR (answered with the ATR). Anything longer is a command APDU, answered
 * with the response APDU.
 */
public final class VpcdClient {

  /** The port of vpcd's first reader. */
  public static final int DEFAULT_PORT = 35963;

  private static final int POWER_OFF = 0;
  private static final int POWER_ON = 1;
  private static final int RESET = 2;
  private static final int GET_ATR = 4;

  private final ApduCard card;
  private final InetSocketAddress reader;
  private volatile Socket socket;
  private volatile boolean stopped;
  private volatile boolean connected;

  public VpcdClient(ApduCard card, InetSocketAddress reader) {
    this.card = Objects.requireNonNull(card, "card");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * Connects to the reader and serves it until the reader closes the connection or {@link #stop()}
   * is called.
   *
   * @return the number of APDUs served
   * @throws IOException if the reader cannot be reached or the connection fails mid-message
   */
  public long serve() throws IOException {
    try (Socket s = new Socket()) {
      socket = s;
      if (stopped) {
        return 0;
      }
      s.connect(reader, 5_000);
      s.setTcpNoDelay(true);
      connected = true;
      return serve(
          new DataInputStream(s.getInputStream()),
          new DataOutputStream(s.getOutputStream()),
          () -> quickAck(s));
    } catch (IOException e) {
      if (stopped) {
        return 0;
      }
      throw e;
    } finally {
      connected = false;
    }
  }

  /** Whether the card is connected to its reader now. */
  public boolean isConnected() {
    return connected;
  }

  /** Takes the card out of the reader: closes the connection, {@link #serve()} returns. */
  public void stop() {
    stopped = true;
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closed anyway
      }
    }
  }

  /** Serves one connection's messages (visible for tests over any stream). */
  long serve(DataInputStream in, DataOutputStream out) throws IOException {
    return serve(in, out, () -> {});
  }

  private long serve(DataInputStream in, DataOutputStream out, Runnable beforeRead)
      throws IOException {
    long apdus = 0;
    while (true) {
      beforeRead.run();
      int length;
      try {
        length = in.readUnsignedShort();
      } catch (EOFException e) {
        return apdus; // the reader went away
      }
      byte[] message = new byte[length];
      in.readFully(message);
      if (length == 1) {
        switch (message[0]) {
          case POWER_OFF, POWER_ON, RESET -> card.reset();
          case GET_ATR -> send(out, card.atr());
          default -> {} // unknown control: ignored, as vpcd's own cards do
        }
      } else if (length > 1) {
        send(out, card.transmit(message));
        apdus++;
      }
    }
  }

  /**
   * vpcd writes a message's length and its bytes in two writes without TCP_NODELAY: Nagle holds the
   * second until our ACK, which Linux delays up to 40 ms. Acknowledging at once (TCP_QUICKACK,
   * reset by the kernel after use, so set before each read) takes each APDU from about 45 ms to
   * well under a millisecond.
   */
  private static void quickAck(Socket s) {
    try {
      if (s.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)) {
        s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // only slower
    }
  }

  private static void send(DataOutputStream out, byte[] message) throws IOException {
    out.writeShort(message.length);
    out.write(message);
    out.flush();
  }
}
