package org.ifpp.broker.structure;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ifpp.broker.structure.internal.MiniTlv;
import org.ifpp.broker.structure.internal.MiniTlv.Node;
import org.ifpp.broker.web.BrokerException;
import org.ifpp.crypto.ids.TransactionId;

/**
 * Structural checks the broker can make without any key (IFPP.md sections 5 and 6): it never
 * decrypts or verifies, it only refuses what cannot be a bound package or a signed result, so a
 * broken upload fails at the door rather than on a chip.
 */
public final class PackageStructure {

  private static final int BPP = 0xBF36;
  private static final int INITIALISE_SECURE_CHANNEL = 0xBF23;
  private static final int TRANSACTION_ID = 0x80;
  private static final int PIR = 0xBF37;
  private static final int PIR_DATA = 0xBF27;
  private static final int EUICC_SIGNATURE = 0x5F37;

  private PackageStructure() {}

  /**
   * Checks that {@code bpp} is one well-formed BER-TLV {@code BF36} whose {@code BF23} carries
   * {@code declared} as its transactionId (tag 80).
   *
   * @throws BrokerException 400 {@code malformed-package} or {@code transaction-id-mismatch}
   */
  public static void checkBoundProfilePackage(byte[] bpp, TransactionId declared, String where) {
    Node root = read(bpp, "malformed-package", where);
    if (root.tag() != BPP) {
      throw BrokerException.badRequest(
          "malformed-package", where + ": not a BoundProfilePackage (tag BF36)");
    }
    Node isc =
        child(bpp, root, INITIALISE_SECURE_CHANNEL)
            .orElseThrow(
                () ->
                    BrokerException.badRequest(
                        "malformed-package", where + ": no InitialiseSecureChannel (BF23)"));
    Node tx =
        child(bpp, isc, TRANSACTION_ID)
            .orElseThrow(
                () ->
                    BrokerException.badRequest(
                        "malformed-package", where + ": BF23 has no transactionId (80)"));
    byte[] value = Arrays.copyOfRange(bpp, tx.valueOffset(), tx.valueOffset() + tx.valueLength());
    if (!Arrays.equals(value, declared.toBytes())) {
      throw BrokerException.badRequest(
          "transaction-id-mismatch",
          where + ": the package's transactionId differs from the declared one");
    }
  }

  /**
   * Checks that {@code pir} is a ProfileInstallationResult {@code BF37} holding its data {@code
   * BF27} and the eUICC signature {@code 5F37}; if the data carries a transactionId, it must be
   * {@code expected}. The signature itself is the Key Maker's to verify.
   *
   * @throws BrokerException 400 {@code malformed-pir} or {@code pir-transaction-mismatch}
   */
  public static void checkInstallationResult(byte[] pir, TransactionId expected) {
    Node root = read(pir, "malformed-pir", "pir");
    if (root.tag() != PIR) {
      throw BrokerException.badRequest(
          "malformed-pir", "not a ProfileInstallationResult (tag BF37)");
    }
    Node data =
        child(pir, root, PIR_DATA)
            .orElseThrow(
                () -> BrokerException.badRequest("malformed-pir", "BF37 lacks its data (BF27)"));
    if (child(pir, root, EUICC_SIGNATURE).isEmpty()) {
      throw BrokerException.badRequest("malformed-pir", "BF37 lacks the eUICC signature (5F37)");
    }
    Optional<Node> tx = child(pir, data, TRANSACTION_ID);
    if (tx.isPresent()) {
      byte[] v =
          Arrays.copyOfRange(
              pir, tx.get().valueOffset(), tx.get().valueOffset() + tx.get().valueLength());
      if (!Arrays.equals(v, expected.toBytes())) {
        throw BrokerException.badRequest(
            "pir-transaction-mismatch", "the result names another transactionId");
      }
    }
  }

  private static Node read(byte[] bytes, String code, String where) {
    try {
      return MiniTlv.readSingle(bytes);
    } catch (MiniTlv.Malformed e) {
      throw BrokerException.badRequest(
          code, where + ": malformed BER-TLV (" + e.getMessage() + ")");
    }
  }

  private static Optional<Node> child(byte[] bytes, Node parent, int tag) {
    if (!parent.constructed()) {
      return Optional.empty();
    }
    List<Node> children = MiniTlv.children(bytes, parent);
    return children.stream().filter(n -> n.tag() == tag).findFirst();
  }
}
