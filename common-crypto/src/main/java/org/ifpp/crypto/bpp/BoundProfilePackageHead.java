package org.ifpp.crypto.bpp;

/**
 * The binding-specific head of a PPK-mode Bound Profile Package (IFPP.md section 5): {@code BF36}
 * tag and length (of the whole package), BF23, A0, A1 and A2. The package is this head followed by
 * the stored profile's {@code A3} element ({@link #a3Length()} bytes, the end of its storage
 * encoding), which is the same for every binding of that profile. Made by {@link
 * BoundProfilePackageBuilder#buildHead()}.
 */
public final class BoundProfilePackageHead {

  private final byte[] encoded;
  private final InitialiseSecureChannelRequest initialiseSecureChannel;
  private final int a3Length;

  BoundProfilePackageHead(byte[] encoded, InitialiseSecureChannelRequest isc, int a3Length) {
    this.encoded = encoded;
    this.initialiseSecureChannel = isc;
    this.a3Length = a3Length;
  }

  /** The head's bytes (a copy). */
  public byte[] encode() {
    return encoded.clone();
  }

  /** The signed BF23 (its signature names otPK.EUICC). */
  public InitialiseSecureChannelRequest initialiseSecureChannel() {
    return initialiseSecureChannel;
  }

  /** How many bytes of A3 follow the head. */
  public int a3Length() {
    return a3Length;
  }

  @Override
  public String toString() {
    return "BoundProfilePackageHead[" + encoded.length + " bytes + A3 " + a3Length + "]";
  }
}
