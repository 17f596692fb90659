package org.ifpp.crypto.bpp;

import org.ifpp.crypto.secret.SecretBytes;

/**
 * The verified and decrypted content of a Bound Profile Package: ConfigureISDPRequest,
 * StoreMetadataRequest and the plain profile (a UPP, secret: wiped by {@link #close()}).
 *
 * @param configureIsdp the decrypted A0 content (BF24)
 * @param storeMetadata the A1 content (BF25)
 * @param ppkMode true if the profile was protected with PPKs (A2 present or PPKs supplied)
 * @param profile the plain profile bytes
 */
public record DecodedBoundProfilePackage(
    ConfigureIsdpRequest configureIsdp,
    StoreMetadataRequest storeMetadata,
    boolean ppkMode,
    SecretBytes profile)
    implements AutoCloseable {

  @Override
  public void close() {
    profile.close();
  }

  @Override
  public String toString() {
    return "DecodedBoundProfilePackage[" + storeMetadata + ", profile " + profile + "]";
  }
}
