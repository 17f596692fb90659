package org.ifpp.line.chip.pcsc;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.ifpp.line.chip.ChipUnavailableException;

/**
 * ES10 over one card channel as an LPA sends it: SELECT of the ISD-R, each ES10 command in STORE
 * DATA blocks ({@code 80 E2 11|91 blockNumber}, up to 255 bytes each), a response longer than one
 * APDU collected with GET RESPONSE (the JDK's channel does that on {@code 61xx}).
 *
 * <p>Every APDU has a bounded wait: {@code javax.smartcardio} has no timeout of its own, and a card
 * (or reader driver) that stops answering mid-APDU would block the station for good. Each exchange
 * runs on the station's exchange threads and the station waits at most {@code apduTimeout}; past it
 * the exchange is abandoned ({@code timeout}, {@link ChipUnavailableException}) and this channel
 * refuses every further APDU, so the station reconnects before it talks to a card again. A thread
 * still stuck in the driver does not hold the next exchange up.
 */
final class Apdus {

  static final byte[] ISD_R_AID = HexFormat.of().parseHex("A0000005591010FFFFFFFF8900000100");
  private static final int BLOCK = 255;

  private final CardChannel channel;
  private final ExecutorService exchanges;
  private final Duration apduTimeout;
  private long sent;
  private boolean abandoned;

  Apdus(CardChannel channel, ExecutorService exchanges, Duration apduTimeout) {
    this.channel = channel;
    this.exchanges = exchanges;
    this.apduTimeout = apduTimeout;
  }

  /** True once an APDU went unanswered past the timeout: the channel must not be used again. */
  boolean abandoned() {
    return abandoned;
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
    ResponseAPDU r = es10Answer(command);
    if (r.getSW() != 0x9000) {
      throw new ChipUnavailableException(
          "card-error", String.format("STORE DATA answered %04X", r.getSW()));
    }
    return r.getData();
  }

  /**
   * Sends one ES10 command and returns the card's answer to its last block, whatever its status
   * word (an earlier block answered other than {@code 9000} ends the command there).
   */
  ResponseAPDU es10Answer(byte[] command) {
    int blocks = Math.max(1, (command.length + BLOCK - 1) / BLOCK);
    if (blocks > 256) {
      throw new IllegalArgumentException("ES10 command longer than 256 blocks");
    }
    ResponseAPDU r = null;
    for (int i = 0; i < blocks; i++) {
      byte[] block =
          Arrays.copyOfRange(command, i * BLOCK, Math.min(command.length, (i + 1) * BLOCK));
      boolean last = i == blocks - 1;
      r =
          last
              ? transmit(new CommandAPDU(0x80, 0xE2, 0x91, i, block, 256))
              : transmit(new CommandAPDU(0x80, 0xE2, 0x11, i, block));
      if (!last && r.getSW() != 0x9000) {
        throw new ChipUnavailableException(
            "card-error", String.format("STORE DATA block %d answered %04X", i, r.getSW()));
      }
    }
    return r;
  }

  private ResponseAPDU transmit(CommandAPDU command) {
    if (abandoned) {
      throw new ChipUnavailableException("timeout", "the card stopped answering an APDU before");
    }
    sent++;
    Future<ResponseAPDU> exchange = exchanges.submit(() -> channel.transmit(command));
    try {
      return exchange.get(apduTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abandoned = true;
      exchange.cancel(true);
      throw new ChipUnavailableException(
          "timeout", "the card did not answer an APDU within " + apduTimeout);
    } catch (InterruptedException e) {
      abandoned = true;
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChipUnavailableException("timeout", "interrupted waiting for the card's answer");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CardException || cause instanceof IllegalStateException) {
        throw new ChipUnavailableException(
            "card-removed", "the card stopped answering: " + cause.getMessage(), cause);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }
}
