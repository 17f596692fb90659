package org.ifpp.crypto.bpp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * InitialiseSecureChannelRequest ({@code BF23}, SGP.22 sections 2.5.4 and 5.5.1; IFPP.md section
 * 5): {@code 82 remoteOpId, 80 transactionId, A6 {80 keyType, 81 keyLength, 84 hostId}, 5F49
 * otPK.DP, 5F37 smdpSign}.
 *
 * <p>smdpSign = ECDSA-SHA256 over the encodings of the four data objects before it, as transmitted,
 * followed by {@code 5F49 41 otPK.EUICC}: the signature names the one eUICC key that may open the
 * package. A parsed request keeps the received encodings so the signed data is exactly what was
 * signed. Values are not judged here (the opener maps a wrong remoteOpId or CRT to its SGP.22
 * error); only the structure is.
 */
public final class InitialiseSecureChannelRequest {

  public static final int TAG = 0xBF23;

  /** RemoteOpId installBoundProfilePackage(1). */
  public static final int REMOTE_OP_INSTALL_BPP = 1;

  private final byte[] signedPart;
  private final int remoteOpId;
  private final TransactionId transactionId;
  private final int keyType;
  private final int keyLength;
  private final HostId hostId;
  private final byte[] otPkDp;
  private final byte[] signature;

  private InitialiseSecureChannelRequest(
      byte[] signedPart,
      int remoteOpId,
      TransactionId transactionId,
      int keyType,
      int keyLength,
      HostId hostId,
      byte[] otPkDp,
      byte[] signature) {
    this.signedPart = signedPart;
    this.remoteOpId = remoteOpId;
    this.transactionId = transactionId;
    this.keyType = keyType;
    this.keyLength = keyLength;
    this.hostId = hostId;
    this.otPkDp = otPkDp;
    this.signature = signature;
  }

  /** Builds and signs a request for installBoundProfilePackage with CRT 88/10. */
  public static InitialiseSecureChannelRequest create(
      TransactionId transactionId,
      HostId hostId,
      EcPublicKey otPkDp,
      EcPublicKey otPkEuicc,
      Signer signer) {
    Objects.requireNonNull(signer, "signer");
    byte[] signedPart =
        TlvWriter.concat(
            TlvWriter.encode(0x82, new byte[] {REMOTE_OP_INSTALL_BPP}),
            TlvWriter.encode(0x80, transactionId.toBytes()),
            TlvWriter.encodeConstructed(
                0xA6,
                TlvWriter.encode(0x80, new byte[] {(byte) BspKdf.KEY_TYPE_AES}),
                TlvWriter.encode(0x81, new byte[] {BspKdf.KEY_LENGTH}),
                TlvWriter.encode(0x84, hostId.toBytes())),
            TlvWriter.encode(0x5F49, otPkDp.toUncompressed()));
    byte[] sig = signer.sign(TlvWriter.concat(signedPart, euiccKeyDo(otPkEuicc)));
    if (sig == null || sig.length != 64) {
      throw new IllegalStateException("signer did not return a 64-byte r||s signature");
    }
    return new InitialiseSecureChannelRequest(
        signedPart,
        REMOTE_OP_INSTALL_BPP,
        transactionId,
        BspKdf.KEY_TYPE_AES,
        BspKdf.KEY_LENGTH,
        hostId,
        otPkDp.toUncompressed(),
        sig.clone());
  }

  private static byte[] euiccKeyDo(EcPublicKey otPkEuicc) {
    return TlvWriter.encode(0x5F49, otPkEuicc.toUncompressed());
  }

  /**
   * Parses a {@code BF23} object: exactly the five data objects, in order.
   *
   * @throws ProfilePackageException if the structure is not that of SGP.22 section 5.5.1
   */
  public static InitialiseSecureChannelRequest parse(Tlv bf23) throws ProfilePackageException {
    try {
      List<Tlv> c = bf23.children();
      if (bf23.tag() != TAG
          || c.size() != 5
          || c.get(0).tag() != 0x82
          || c.get(1).tag() != 0x80
          || c.get(2).tag() != 0xA6
          || c.get(3).tag() != 0x5F49
          || c.get(4).tag() != 0x5F37) {
        throw invalid("BF23 must hold 82, 80, A6, 5F49, 5F37 in this order");
      }
      byte[] op = c.get(0).value();
      if (op.length < 1 || op.length > 2) {
        throw invalid("remoteOpId must be a small INTEGER");
      }
      int remoteOpId = op.length == 1 ? op[0] : (op[0] << 8) | (op[1] & 0xFF);
      List<Tlv> crt = c.get(2).children();
      if (crt.size() != 3
          || crt.get(0).tag() != 0x80
          || crt.get(1).tag() != 0x81
          || crt.get(2).tag() != 0x84
          || crt.get(0).valueLength() != 1
          || crt.get(1).valueLength() != 1) {
        throw invalid("CRT A6 must hold 80 (1 byte), 81 (1 byte), 84 in this order");
      }
      byte[] sig = c.get(4).value();
      if (sig.length != 64) {
        throw invalid("smdpSign must be 64 bytes r||s");
      }
      byte[] signedPart =
          TlvWriter.concat(
              c.get(0).encoded(), c.get(1).encoded(), c.get(2).encoded(), c.get(3).encoded());
      return new InitialiseSecureChannelRequest(
          signedPart,
          remoteOpId,
          TransactionId.of(c.get(1).value()),
          crt.get(0).value()[0] & 0xFF,
          crt.get(1).value()[0] & 0xFF,
          HostId.of(crt.get(2).value()),
          c.get(3).value(),
          sig);
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "BF23: " + e.code(), e);
    } catch (IllegalArgumentException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "BF23: " + e.getMessage(), e);
    }
  }

  private static ProfilePackageException invalid(String message) {
    return new ProfilePackageException(ProfilePackageException.Code.INVALID_STRUCTURE, message);
  }

  /** The data smdpSign covers when {@code otPkEuicc} is the target key. */
  public byte[] signedData(EcPublicKey otPkEuicc) {
    return TlvWriter.concat(signedPart, euiccKeyDo(otPkEuicc));
  }

  /** The {@code BF23} encoding. */
  public byte[] encode() {
    return TlvWriter.encode(TAG, TlvWriter.concat(signedPart, TlvWriter.encode(0x5F37, signature)));
  }

  public int remoteOpId() {
    return remoteOpId;
  }

  public TransactionId transactionId() {
    return transactionId;
  }

  public int keyType() {
    return keyType;
  }

  public int keyLength() {
    return keyLength;
  }

  public HostId hostId() {
    return hostId;
  }

  /** otPK.DP as received (65 bytes for a well-formed request; validated on use). */
  public byte[] otPkDpBytes() {
    return otPkDp.clone();
  }

  /** smdpSign, 64 bytes r||s. */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InitialiseSecureChannelRequest other
        && Arrays.equals(encode(), other.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "InitialiseSecureChannelRequest[transactionId="
        + transactionId
        + ", hostId="
        + hostId
        + "]";
  }
}
