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
 * The eUICC side of a binding, segment by segment as ES10b.LoadBoundProfilePackage delivers it
 * (IFPP.md section 6; SGP.22 sections 2.5.5, 3.1.3.3 and 5.7.6). {@link #begin} runs steps 1 to 5
 * on the package's first segment (its {@code BF23}), then step 6 (the one-time key consumed through
 * the context, from here on gone whatever happens) and the key agreement; each following segment is
 * MAC-verified and decrypted as it arrives (step 7), so a failure is known at the segment that
 * fails; {@link #finish} runs step 8 and hands the profile over (step 9 is the caller's). {@link
 * BoundProfilePackageOpener#open} runs a whole package through this same stream.
 *
 * <p>Each step answers empty to go on, or the refusal, after which the stream is done and holds
 * nothing. Never throws for bad input. Not thread-safe: one stream per package being received.
 * {@link #close()} wipes the session keys and every decrypted byte not handed over.
 */
public final class OpeningStream implements AutoCloseable {

  private final TransactionId txId;
  private final EcPublicKey consumed;
  private SegmentStream segments;
  private BoundProfilePackage.Form form;
  private OpeningResult result;

  private OpeningStream(OpeningResult.Rejected refused) {
    this.txId = refused.txId();
    this.consumed = refused.consumedKey();
    this.result = refused;
  }

  private OpeningStream(TransactionId txId, EcPublicKey consumed, SegmentStream segments) {
    this.txId = txId;
    this.consumed = consumed;
    this.segments = segments;
  }

  /**
   * Steps 1 to 7's key agreement on a package's {@code BF23}: a refusal at steps 1 to 5 consumes
   * nothing; from step 6 the key is consumed.
   *
   * @param bf23 the InitialiseSecureChannelRequest TLV as received, or null if unreadable
   * @param named the key the package says it is bound to ({@code bppEuiccOtpk}), or null to try
   *     every unused key; a key this eUICC does not hold unused is refused {@code invalidSignature}
   *     at step 5, nothing consumed, as a replay is
   * @return the stream; {@link #result()} is already present if the package was refused
   */
  public static OpeningStream begin(
      byte[] bf23, X509Certificate bindingCertificate, BppEuiccOtpk named, OpeningContext context) {
    Tlv tlv = null;
    if (bf23 != null) {
      try {
        Tlv t = TlvReader.readSingle(bf23, TlvLimits.DEFAULT);
        tlv = t.tag() == InitialiseSecureChannelRequest.TAG ? t : null;
      } catch (TlvException e) {
        // refused at the parse, after steps 1 and 2
      }
    }
    return begin(tlv, bindingCertificate, named, context);
  }

  static OpeningStream begin(
      Tlv bf23, X509Certificate bindingCertificate, BppEuiccOtpk named, OpeningContext context) {
    KeyChoice choice = stepsOneToFive(bf23, bindingCertificate, named, context);
    if (choice.rejected() != null) {
      return new OpeningStream(choice.rejected());
    }
    InitialiseSecureChannelRequest isc = choice.isc();
    TransactionId txId = isc.transactionId();
    // 6. Consume atomically: from here on the key is gone, success or not.
    EcPublicKey otPk = choice.target().publicKey();
    if (!context.consume(otPk)) {
      return new OpeningStream(reject(ErrorReason.INVALID_SIGNATURE, txId, null));
    }
    // 7. The session keys; the one-time key pair is wiped once they are derived.
    try (OneTimeKeyPair key = choice.target()) {
      EcPublicKey otPkDp;
      try {
        otPkDp = EcPublicKey.fromUncompressed(otPk.curve(), isc.otPkDpBytes());
      } catch (IllegalArgumentException e) {
        return new OpeningStream(
            new OpeningResult.Rejected(
                ErrorReason.SCP03T_STRUCTURE_ERROR,
                BppCommandId.INITIALISE_SECURE_CHANNEL,
                txId,
                otPk));
      }
      try (SecretBytes z = Ecka.sharedSecret(key, otPkDp);
          SessionKeys keys = BspKdf.derive(z, isc.hostId(), context.eid())) {
        // The channel keeps its own copies of the keys; the stream wipes them when closed.
        return new OpeningStream(txId, otPk, new SegmentStream(keys, null));
      }
    }
  }

  /** The outcome once known: a refusal at any step, or the result of {@link #finish}. */
  public Optional<OpeningResult> result() {
    return Optional.ofNullable(result);
  }

  /** The transactionId of BF23, if it could be read. */
  public Optional<TransactionId> transactionId() {
    return Optional.ofNullable(txId);
  }

  /** The whole A0 element (ConfigureISDPRequest in its 87 segments, flat or nested form). */
  public Optional<OpeningResult.Rejected> configureIsdp(Tlv a0) {
    return element(
        BppCommandId.CONFIGURE_ISDP,
        () -> {
          form = BoundProfilePackage.detectForm(a0);
          return BoundProfilePackage.segments(a0, 0x87, form);
        },
        s -> segments.configureIsdp(s));
  }

  /** One 88 element of A1 (a StoreMetadataRequest segment). */
  public Optional<OpeningResult.Rejected> storeMetadata(Tlv element) {
    return element(
        BppCommandId.STORE_METADATA,
        () -> List.of(BoundProfilePackage.segment(element, 0x88, formOrFlat(), "A1")),
        s -> segments.storeMetadata(s.get(0)));
  }

  /** A1 is complete (its length is filled): the StoreMetadataRequest is checked. */
  public Optional<OpeningResult.Rejected> endStoreMetadata() {
    return element(BppCommandId.STORE_METADATA, List::of, s -> segments.endStoreMetadata());
  }

  /** The whole A2 element (ReplaceSessionKeysRequest in one 87 segment). */
  public Optional<OpeningResult.Rejected> replaceSessionKeys(Tlv a2) {
    return element(
        BppCommandId.REPLACE_SESSION_KEYS,
        () -> {
          List<Tlv> s = BoundProfilePackage.segments(a2, 0x87, formOrFlat());
          if (s.size() != 1) {
            throw new ProfilePackageException(
                ProfilePackageException.Code.INVALID_STRUCTURE,
                "A2 must hold exactly one ReplaceSessionKeys segment");
          }
          return s;
        },
        s -> segments.replaceSessionKeys(s.get(0)));
  }

  /** One 86 element of A3 (a piece of the profile). */
  public Optional<OpeningResult.Rejected> profileElement(Tlv element) {
    return element(
        BppCommandId.LOAD_PROFILE_ELEMENTS,
        () -> List.of(BoundProfilePackage.segment(element, 0x86, formOrFlat(), "A3")),
        s -> segments.profileElement(s.get(0)));
  }

  /**
   * The caller found the package's structure broken after step 6 (a segment out of order, a length
   * not filled): refused {@code scp03tStructureError} at {@code at}, the key consumed.
   */
  public OpeningResult.Rejected malformed(BppCommandId at) {
    if (result instanceof OpeningResult.Rejected r) {
      return r;
    }
    return refuse(ErrorReason.SCP03T_STRUCTURE_ERROR, at);
  }

  /**
   * The last segment has arrived: step 8's content checks (the profile parses; the metadata's ICCID
   * is the profile's; that ICCID is not installed; there is room), then the profile to install. The
   * caller closes the {@link OpeningResult.Installed}.
   */
  public OpeningResult finish(OpeningContext context) {
    if (result != null) {
      return result;
    }
    DecodedBoundProfilePackage decoded;
    try {
      decoded = segments.finish();
    } catch (BppDecodeException e) {
      return failed(e);
    }
    close();
    // 8. Content checks, then 9. hand over for installation. The package takes over the decrypted
    // profile (no second copy to make and wipe) and wipes it on failure or when closed.
    UnprotectedProfilePackage upp;
    try {
      upp = UnprotectedProfilePackage.parseAdopting(decoded.profile());
    } catch (ProfilePackageException e) {
      return refuse(
          ErrorReason.INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR,
          BppCommandId.LOAD_PROFILE_ELEMENTS);
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
        return refuse(problem, at);
      }
      result =
          new OpeningResult.Installed(
              upp, decoded.storeMetadata(), txId, consumed, decoded.ppkMode());
      return result;
    } catch (RuntimeException e) {
      upp.close();
      throw e;
    }
  }

  /** Whole-package path: the flat segments of a parsed package, in order; empty on success. */
  Optional<OpeningResult.Rejected> feed(BoundProfilePackage pkg) {
    if (result != null) {
      return Optional.of((OpeningResult.Rejected) result);
    }
    try {
      BoundProfilePackageDecoder.feedSegments(segments, pkg);
      return Optional.empty();
    } catch (BppDecodeException e) {
      return Optional.of(failed(e));
    }
  }

  private interface Split {
    List<Tlv> run() throws ProfilePackageException;
  }

  private interface Step {
    void accept(List<Tlv> segments) throws BppDecodeException;
  }

  private Optional<OpeningResult.Rejected> element(BppCommandId at, Split split, Step step) {
    if (result != null) {
      throw new IllegalStateException("the package was already answered");
    }
    List<Tlv> flat;
    try {
      flat = split.run();
    } catch (ProfilePackageException | TlvException e) {
      return Optional.of(refuse(ErrorReason.SCP03T_STRUCTURE_ERROR, at));
    }
    try {
      step.accept(flat);
      return Optional.empty();
    } catch (BppDecodeException e) {
      return Optional.of(failed(e));
    }
  }

  private BoundProfilePackage.Form formOrFlat() {
    return form == null ? BoundProfilePackage.Form.FLAT : form;
  }

  private OpeningResult.Rejected failed(BppDecodeException e) {
    ErrorReason r =
        switch (e.kind()) {
          case SECURITY -> ErrorReason.SCP03T_SECURITY_ERROR;
          case STRUCTURE -> ErrorReason.SCP03T_STRUCTURE_ERROR;
          case CONTENT -> ErrorReason.INCORRECT_INPUT_VALUES;
        };
    return refuse(r, e.commandId());
  }

  private OpeningResult.Rejected refuse(ErrorReason reason, BppCommandId at) {
    close();
    OpeningResult.Rejected r = new OpeningResult.Rejected(reason, at, txId, consumed);
    result = r;
    return r;
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

  /** Wipes the session keys and whatever was decrypted and not handed over. */
  @Override
  public void close() {
    if (segments != null) {
      segments.close();
      segments = null;
    }
  }
}
