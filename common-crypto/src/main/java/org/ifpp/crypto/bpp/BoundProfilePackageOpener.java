package org.ifpp.crypto.bpp;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;

/**
 * The eUICC side of a binding (IFPP.md section 6; SGP.22 sections 3.1.3.3 and 5.7.x): runs the
 * checks in the spec's order and returns a typed {@link OpeningResult}. Never throws for bad input.
 * From step 6 on, the one-time key is consumed and destroyed whatever the outcome (GENS08). Every
 * segment's MAC is verified before its decryption; no partial profile escapes a failure.
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
    KeyChoice choice = stepsOneToFive(bf23, bindingCertificate, named, context);
    if (choice.rejected() != null) {
      return choice.rejected();
    }
    InitialiseSecureChannelRequest isc = choice.isc();
    TransactionId txId = isc.transactionId();
    OneTimeKeyPair target = choice.target();
    // 6. Consume atomically: from here on the key is gone, success or not.
    EcPublicKey otPk = target.publicKey();
    if (!context.consume(otPk)) {
      return reject(ErrorReason.INVALID_SIGNATURE, txId, null);
    }
    // 7. Keys, then MAC-before-decrypt of every segment.
    DecodedBoundProfilePackage decoded;
    try (OneTimeKeyPair key = target) {
      BoundProfilePackage pkg;
      try {
        pkg = BoundProfilePackage.parse(bpp);
      } catch (ProfilePackageException e) {
        return rejectConsumed(
            ErrorReason.SCP03T_STRUCTURE_ERROR, BppCommandId.INITIALISE_SECURE_CHANNEL, txId, otPk);
      }
      EcPublicKey otPkDp;
      try {
        otPkDp = EcPublicKey.fromUncompressed(otPk.curve(), isc.otPkDpBytes());
      } catch (IllegalArgumentException e) {
        return rejectConsumed(
            ErrorReason.SCP03T_STRUCTURE_ERROR, BppCommandId.INITIALISE_SECURE_CHANNEL, txId, otPk);
      }
      try (SecretBytes z = Ecka.sharedSecret(key, otPkDp);
          SessionKeys keys = BspKdf.derive(z, isc.hostId(), context.eid())) {
        decoded = BoundProfilePackageDecoder.decode(pkg, keys);
      } catch (BppDecodeException e) {
        ErrorReason r =
            switch (e.kind()) {
              case SECURITY -> ErrorReason.SCP03T_SECURITY_ERROR;
              case STRUCTURE -> ErrorReason.SCP03T_STRUCTURE_ERROR;
              case CONTENT -> ErrorReason.INCORRECT_INPUT_VALUES;
            };
        return rejectConsumed(r, e.commandId(), txId, otPk);
      }
    }
    // 8. Content checks, then 9. hand over for installation. The package takes over the decrypted
    // profile (no second copy to make and wipe) and wipes it on failure or when closed.
    UnprotectedProfilePackage upp;
    try {
      upp = UnprotectedProfilePackage.parseAdopting(decoded.profile());
    } catch (ProfilePackageException e) {
      return rejectConsumed(
          ErrorReason.INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR,
          BppCommandId.LOAD_PROFILE_ELEMENTS,
          txId,
          otPk);
    }
    try {
      ErrorReason problem = null;
      BppCommandId at = BppCommandId.LOAD_PROFILE_ELEMENTS;
      if (!decoded.storeMetadata().iccid().equals(upp.iccid())) {
        problem = ErrorReason.INSTALL_FAILED_DUE_TO_DATA_MISMATCH;
      } else if (context.iccidInstalled(upp.iccid())) {
        problem = ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC;
        at = BppCommandId.STORE_METADATA;
      } else if (!context.hasRoomFor(upp.size())) {
        problem = ErrorReason.INSTALL_FAILED_DUE_TO_INSUFFICIENT_MEMORY_FOR_PROFILE;
      }
      if (problem != null) {
        upp.close();
        return rejectConsumed(problem, at, txId, otPk);
      }
      return new OpeningResult.Installed(
          upp, decoded.storeMetadata(), txId, otPk, decoded.ppkMode());
    } catch (RuntimeException e) {
      upp.close();
      throw e;
    }
  }

  /**
   * Steps 1 to 5 only, on the package's first ES10b segment (its {@code BF23}), so a card answers a
   * refusal at the segment that fails (SGP.22 5.7.6) instead of after the last one. Nothing is
   * consumed: on success, {@link #open} later runs every step on the whole package.
   *
   * @param bf23 the InitialiseSecureChannelRequest TLV as received
   * @return the refusal {@link #open} would give, or empty if steps 1 to 5 pass
   */
  public static Optional<OpeningResult.Rejected> checkBeforeLoading(
      byte[] bf23, X509Certificate bindingCertificate, BppEuiccOtpk named, OpeningContext context) {
    Tlv tlv = null;
    try {
      Tlv t = TlvReader.readSingle(bf23, TlvLimits.DEFAULT);
      tlv = t.tag() == InitialiseSecureChannelRequest.TAG ? t : null;
    } catch (TlvException e) {
      // refused at the parse, after steps 1 and 2
    }
    return Optional.ofNullable(stepsOneToFive(tlv, bindingCertificate, named, context).rejected());
  }

  /** Either a refusal or the parsed request and the one-time key its signature names. */
  private record KeyChoice(
      OpeningResult.Rejected rejected, InitialiseSecureChannelRequest isc, OneTimeKeyPair target) {}

  private static KeyChoice refused(ErrorReason reason, TransactionId txId) {
    return new KeyChoice(reject(reason, txId, null), null, null);
  }

  private static KeyChoice stepsOneToFive(
      Tlv bf23, X509Certificate bindingCertificate, BppEuiccOtpk named, OpeningContext context) {
    // 1. IFPP enabled.
    if (!context.ifppEnabled()) {
      return refused(ErrorReason.IFPP_DISABLED, null);
    }
    // 2. Binding certificate.
    Optional<EcPublicKey> dpKey =
        bindingCertificate == null
            ? Optional.empty()
            : context.verifyBindingCertificate(bindingCertificate);
    if (dpKey.isEmpty()) {
      return refused(ErrorReason.INVALID_CERTIFICATE, null);
    }
    if (bf23 == null) {
      return refused(ErrorReason.INCORRECT_INPUT_VALUES, null);
    }
    InitialiseSecureChannelRequest isc;
    try {
      isc = InitialiseSecureChannelRequest.parse(bf23);
    } catch (ProfilePackageException e) {
      return refused(ErrorReason.INCORRECT_INPUT_VALUES, null);
    }
    TransactionId txId = isc.transactionId();
    // 3. remoteOpId.
    if (isc.remoteOpId() != InitialiseSecureChannelRequest.REMOTE_OP_INSTALL_BPP) {
      return refused(ErrorReason.UNSUPPORTED_REMOTE_OPERATION_TYPE, txId);
    }
    // 4. CRT.
    if (isc.keyType() != BspKdf.KEY_TYPE_AES || isc.keyLength() != BspKdf.KEY_LENGTH) {
      return refused(ErrorReason.UNSUPPORTED_CRT_VALUES, txId);
    }
    // 5. smdpSign over one of this eUICC's unused one-time keys: the one bppEuiccOtpk names, or
    // each in turn without it. A chip with none left says so (its keys ran out before a
    // finalisation command: docs/rules.md section 8).
    byte[] signature = isc.signature();
    if (named != null) {
      Optional<OneTimeKeyPair> k = context.unusedOneTimeKey(named);
      if (k.isEmpty()) {
        return refused(
            context.hasUnusedOneTimeKeys()
                ? ErrorReason.INVALID_SIGNATURE
                : ErrorReason.KEYS_EXHAUSTED,
            txId);
      }
      return verifies(dpKey.get(), isc, k.get(), signature)
          ? new KeyChoice(null, isc, k.get())
          : refused(ErrorReason.INVALID_SIGNATURE, txId);
    }
    List<OneTimeKeyPair> unused = context.unusedOneTimeKeys();
    if (unused.isEmpty()) {
      return refused(ErrorReason.KEYS_EXHAUSTED, txId);
    }
    for (OneTimeKeyPair k : unused) {
      if (verifies(dpKey.get(), isc, k, signature)) {
        return new KeyChoice(null, isc, k);
      }
    }
    return refused(ErrorReason.INVALID_SIGNATURE, txId);
  }

  private static boolean verifies(
      EcPublicKey dpKey, InitialiseSecureChannelRequest isc, OneTimeKeyPair k, byte[] signature) {
    return k.curve() == dpKey.curve()
        && EcdsaVerification.verifyRaw(dpKey, isc.signedData(k.publicKey()), signature);
  }

  private static OpeningResult.Rejected reject(
      ErrorReason reason, TransactionId txId, EcPublicKey consumed) {
    return new OpeningResult.Rejected(
        reason, BppCommandId.INITIALISE_SECURE_CHANNEL, txId, consumed);
  }

  private static OpeningResult.Rejected rejectConsumed(
      ErrorReason reason, BppCommandId at, TransactionId txId, EcPublicKey consumed) {
    return new OpeningResult.Rejected(reason, at, txId, consumed);
  }
}
