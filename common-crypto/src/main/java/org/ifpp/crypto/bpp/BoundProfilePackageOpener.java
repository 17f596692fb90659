package org.ifpp.crypto.bpp;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;

/**
 * The eUICC side of a binding for a whole package (IFPP.md section 6; SGP.22 sections 3.1.3.3 and
 * 5.7.x): runs the checks in the spec's order and returns a typed {@link OpeningResult}. Never
 * throws for bad input. From step 6 on, the one-time key is consumed and destroyed whatever the
 * outcome (GENS08). Every segment's MAC is verified before its decryption; no partial profile
 * escapes a failure. The package goes segment by segment through {@link OpeningStream}, the path a
 * card receiving ES10b segments uses.
 *
 * <p>The binding certificate travels beside the package (it is public); its validation is the
 * context's (step 2).
 */
public final class BoundProfilePackageOpener {

  private BoundProfilePackageOpener() {}

  /**
   * Opens {@code bpp} on the eUICC described by {@code context}, trying each unused one-time key at
   * step 5 (a package that came without {@link BppEuiccOtpk}, which SGP.22 makes OPTIONAL).
   */
  public static OpeningResult open(
      byte[] bpp, X509Certificate bindingCertificate, OpeningContext context) {
    return open(bpp, bindingCertificate, null, context);
  }

  /**
   * Opens {@code bpp}; when {@code named} is given (the package's {@code bppEuiccOtpk}), step 5
   * verifies smdpSign for that one key only, and a key that is not unused on this eUICC is refused
   * {@code invalidSignature} at step 5, nothing consumed, as a replay is.
   *
   * @param named the key the package says it is bound to, or null to try every unused key
   */
  public static OpeningResult open(
      byte[] bpp, X509Certificate bindingCertificate, BppEuiccOtpk named, OpeningContext context) {
    Tlv bf23 = null;
    try {
      Tlv root = TlvReader.readSingle(bpp, TlvLimits.DEFAULT);
      List<Tlv> parts = root.tag() == BoundProfilePackage.TAG ? root.children() : List.of();
      if (!parts.isEmpty() && parts.get(0).tag() == InitialiseSecureChannelRequest.TAG) {
        bf23 = parts.get(0);
      }
    } catch (TlvException e) {
      // refused at the parse, after steps 1 and 2
    }
    // 1 to 6, and the key agreement of 7: the same stream a card feeds segment by segment.
    try (OpeningStream stream = OpeningStream.begin(bf23, bindingCertificate, named, context)) {
      if (stream.result().isPresent()) {
        return stream.result().get();
      }
      BoundProfilePackage pkg;
      try {
        pkg = BoundProfilePackage.parse(bpp);
      } catch (ProfilePackageException e) {
        return stream.malformed(BppCommandId.INITIALISE_SECURE_CHANNEL);
      }
      // 7. MAC-before-decrypt of every segment, in order; then 8 and the hand-over.
      Optional<OpeningResult.Rejected> refused = stream.feed(pkg);
      if (refused.isPresent()) {
        return refused.get();
      }
      return stream.finish(context);
    }
  }
}
