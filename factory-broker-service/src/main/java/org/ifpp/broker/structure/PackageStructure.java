package org.ifpp.broker.structure;

import java.util.Arrays;
import java.util.List;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.PirParseResult;
import org.ifpp.crypto.pir.PirStructure;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.web.DomainException;

/**
 * Structural checks the broker can make without any key (IFPP.md sections 5 and 6): it never
 * decrypts or verifies, it only refuses what cannot be a bound package or a signed result, so a
 * broken upload fails at the door rather than on a chip.
 */
public final class PackageStructure {

  private static final int BPP = 0xBF36;
  private static final int INITIALISE_SECURE_CHANNEL = 0xBF23;
  private static final int TRANSACTION_ID = 0x80;

  private PackageStructure() {}

  /**
   * Checks that {@code bpp} is exactly one well-formed BER-TLV {@code BF36} (every nested object
   * parsed) whose {@code BF23} carries {@code declared} as its transactionId (tag 80).
   *
   * @param where names the package in error details, e.g. {@code packages[3]}
   * @throws DomainException 400 {@code malformed-package} or {@code transaction-id-mismatch}
   */
  public static void checkBoundProfilePackage(byte[] bpp, TransactionId declared, String where) {
    try {
      List<Tlv> top =
          TlvReader.readTree(bpp, new TlvLimits(Math.max(bpp.length, 1), 32, bpp.length));
      if (top.size() != 1) {
        throw malformed(where, top.isEmpty() ? "empty" : "trailing data after BF36");
      }
      Tlv root = top.get(0);
      if (root.tag() != BPP) {
        throw malformed(where, "not a BoundProfilePackage (tag BF36)");
      }
      Tlv isc =
          root.child(INITIALISE_SECURE_CHANNEL)
              .orElseThrow(() -> malformed(where, "no InitialiseSecureChannel (BF23)"));
      Tlv tx =
          isc.child(TRANSACTION_ID)
              .orElseThrow(() -> malformed(where, "BF23 has no transactionId (80)"));
      if (!Arrays.equals(tx.value(), declared.toBytes())) {
        throw new DomainException(
            BrokerError.TRANSACTION_ID_MISMATCH,
            where + ": the package's transactionId differs from the declared one");
      }
    } catch (TlvException e) {
      throw malformed(where, "malformed BER-TLV (" + e.code() + " at offset " + e.offset() + ")");
    }
  }

  private static DomainException malformed(String where, String why) {
    return new DomainException(BrokerError.MALFORMED_PACKAGE, where + ": " + why);
  }

  /**
   * Checks that {@code pir} is a well-formed signed ProfileInstallationResult (BF37 with its BF27
   * data and the eUICC signature 5F37, SGP.22 5.5.3) for {@code expected}. The signature itself is
   * the Key Maker's to verify (DPFF05-07); the broker has no reason to trust it either way.
   *
   * @return true if the result reports a successful installation
   * @throws DomainException 400 {@code malformed-pir} or {@code pir-transaction-mismatch}
   */
  public static boolean checkInstallationResult(byte[] pir, TransactionId expected) {
    PirParseResult parsed = PirStructure.check(pir);
    if (parsed instanceof PirParseResult.Malformed m) {
      throw new DomainException(
          BrokerError.MALFORMED_PIR, "not a signed ProfileInstallationResult (" + m.error() + ")");
    }
    ProfileInstallationResult result = ((PirParseResult.Parsed) parsed).result().result();
    if (!result.transactionId().equals(expected)) {
      throw new DomainException(
          BrokerError.PIR_TRANSACTION_MISMATCH, "the result names another transactionId");
    }
    return result.isSuccess();
  }
}
