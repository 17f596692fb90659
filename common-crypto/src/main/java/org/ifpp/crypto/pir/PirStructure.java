package org.ifpp.crypto.pir;

/**
 * Checks that bytes are a well-formed signed Profile Installation Result (SGP.22 5.5.3, BF37)
 * without any key: what the untrusted factory broker can do before storing and forwarding a result
 * (IFPP.md section 4 step 5). It proves nothing about origin; only {@link PirVerifier} with the
 * eUICC's key does.
 */
public final class PirStructure {

  private PirStructure() {}

  /** Parses strictly; never throws for bad input. */
  public static PirParseResult check(byte[] bytes) {
    return PirCodec.parse(bytes);
  }
}
