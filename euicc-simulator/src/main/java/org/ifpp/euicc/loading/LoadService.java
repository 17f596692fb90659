package org.ifpp.euicc.loading;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.bpp.InitialiseSecureChannelRequest;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.bpp.OpeningStream;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.provider.AccpSupport;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.chip.InstalledProfile;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.chip.PendingNotification;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.loading.internal.BindingCertificateCache;
import org.ifpp.euicc.loading.internal.ChipOpeningContext;
import org.ifpp.euicc.loading.internal.ProfileMetadata;
import org.ifpp.euicc.loading.internal.ResultSigner;
import org.ifpp.euicc.loading.internal.TlvHeader;
import org.ifpp.euicc.store.ChipRepository;

/**
 * Loads a Bound Profile Package into a chip, as the eUICC does (IFPP.md section 6): the checks run
 * in order in common-crypto's {@link BoundProfilePackageOpener}, against this chip's state, under
 * the chip's lock. The one-time key is consumed and persisted at step 6 before anything is derived
 * from it; a failure after that leaves the key consumed and nothing installed. The chip answers
 * with a Profile Installation Result signed by its eUICC key, and keeps that result as a pending
 * notification (SGP.22 5.7.9-5.7.11) saved in the same write as the outcome it reports.
 *
 * <p>The installed profile is remembered as ICCID, name, size and SHA-256 only: its plain content
 * is wiped as soon as it has been hashed.
 */
public final class LoadService implements PackageLoader {

  private final ChipRepository chips;
  private final BindingCertificateCache certificates;
  private final ChipSigners signers;
  private final ResultSigner results;
  private final long profileMemoryBytes;
  private final Clock clock;

  public LoadService(
      ChipRepository chips,
      BindingCertificateValidator certificates,
      ChipSigners signers,
      String notificationAddress,
      long profileMemoryBytes,
      Clock clock) {
    this.chips = Objects.requireNonNull(chips, "chips");
    this.certificates =
        new BindingCertificateCache(
            Objects.requireNonNull(certificates, "certificates"), clock, Duration.ofSeconds(60));
    this.signers = Objects.requireNonNull(signers, "signers");
    this.results =
        new ResultSigner(Objects.requireNonNull(notificationAddress, "notificationAddress"));
    this.profileMemoryBytes = profileMemoryBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public LoadOutcome load(
      Eid eid, byte[] boundProfilePackage, byte[] bindingCertificateDer, BppEuiccOtpk named) {
    Chip chip = chips.get(eid);
    X509Certificate certificate =
        certificates.parse(bindingCertificateDer, LoadService::parseCertificate);
    Signer signer = signers.of(eid, chip.identity());
    return chip.locked(
        () -> {
          if (named != null) {
            requireUnused(chip, named);
          }
          ChipOpeningContext context =
              new ChipOpeningContext(chip, chips, certificates, profileMemoryBytes);
          OpeningResult result;
          try {
            result =
                BoundProfilePackageOpener.open(boundProfilePackage, certificate, named, context);
          } finally {
            context.wipeSpentPairs();
          }
          Optional<String> smdpOid = ProfileMetadata.smdpOid(certificate);
          if (result instanceof OpeningResult.Installed installed) {
            try (installed) {
              return install(chip, installed, smdpOid, signer);
            }
          }
          return reject(
              chip, (OpeningResult.Rejected) result, boundProfilePackage, smdpOid, signer);
        });
  }

  @Override
  public void requireUnusedOneTimeKey(Eid eid, BppEuiccOtpk named) {
    Chip chip = chips.get(eid);
    chip.locked(
        () -> {
          requireUnused(chip, named);
          return null;
        });
  }

  private static void requireUnused(Chip chip, BppEuiccOtpk named) {
    Optional<OneTimeKeySlot> slot = chip.slotNamed(named);
    if (slot.isEmpty()) {
      throw new OneTimeKeyUnavailableException(
          SimulatorError.ONE_TIME_KEY_UNKNOWN,
          "chip " + chip.eid().value() + " never had the one-time key the package is bound to");
    }
    if (!slot.get().isUnused()) {
      throw new OneTimeKeyUnavailableException(
          SimulatorError.ONE_TIME_KEY_SPENT,
          "chip "
              + chip.eid().value()
              + " no longer has the one-time key the package is bound to (key "
              + slot.get().index()
              + " is "
              + slot.get().state().name().toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
  }

  @Override
  public SegmentedLoad beginLoading(
      Eid eid, byte[] initialiseSecureChannel, byte[] bindingCertificateDer, BppEuiccOtpk named) {
    Chip chip = chips.get(eid);
    X509Certificate certificate =
        certificates.parse(bindingCertificateDer, LoadService::parseCertificate);
    Signer signer = signers.of(eid, chip.identity());
    Optional<String> smdpOid = ProfileMetadata.smdpOid(certificate);
    return chip.locked(
        () -> {
          if (named != null) {
            requireUnused(chip, named);
          }
          ChipOpeningContext context =
              new ChipOpeningContext(chip, chips, certificates, profileMemoryBytes);
          OpeningStream stream;
          try {
            stream = OpeningStream.begin(initialiseSecureChannel, certificate, named, context);
          } finally {
            context.wipeSpentPairs();
          }
          Optional<TransactionId> txId =
              stream.transactionId().or(() -> transactionIdOf(initialiseSecureChannel));
          StreamedLoad load = new StreamedLoad(chip, stream, txId.orElse(null), smdpOid, signer);
          if (stream.result().isPresent()) {
            try {
              load.answerLocked((OpeningResult.Rejected) stream.result().get());
            } catch (RuntimeException e) {
              stream.close();
              throw e;
            }
          }
          return load;
        });
  }

  /** A package received segment by segment: the checks run as each segment arrives. */
  private final class StreamedLoad implements SegmentedLoad {

    private final Chip chip;
    private final OpeningStream stream;
    private final TransactionId txId;
    private final Optional<String> smdpOid;
    private final Signer signer;
    private LoadOutcome outcome;

    StreamedLoad(
        Chip chip,
        OpeningStream stream,
        TransactionId txId,
        Optional<String> smdpOid,
        Signer signer) {
      this.chip = chip;
      this.stream = stream;
      this.txId = txId;
      this.smdpOid = smdpOid;
      this.signer = signer;
    }

    @Override
    public Optional<LoadOutcome> outcome() {
      return Optional.ofNullable(outcome);
    }

    @Override
    public Optional<LoadOutcome> segment(byte[] segment, Es10bSegmentAssembler.State after) {
      if (outcome != null) {
        throw new IllegalStateException("the package was already answered");
      }
      int tag = TlvHeader.read(segment, 0).tag();
      if (tag == 0xA1 || tag == 0xA3) {
        return Optional.empty(); // a sequence's tag and length: nothing to check but its length
      }
      Tlv tlv;
      try {
        tlv = TlvReader.readSingle(segment, TlvLimits.DEFAULT);
      } catch (TlvException e) {
        return Optional.of(malformed(expectedFor(tag)));
      }
      Optional<OpeningResult.Rejected> refused =
          switch (tag) {
            case 0xA0 -> stream.configureIsdp(tlv);
            case 0x88 ->
                stream
                    .storeMetadata(tlv)
                    .or(
                        () ->
                            after == Es10bSegmentAssembler.State.EXPECT_88
                                ? Optional.empty()
                                : stream.endStoreMetadata());
            case 0xA2 -> stream.replaceSessionKeys(tlv);
            case 0x86 -> stream.profileElement(tlv);
            default -> Optional.of(stream.malformed(BppCommandId.INITIALISE_SECURE_CHANNEL));
          };
      if (refused.isPresent()) {
        return Optional.of(answer(refused.get()));
      }
      if (tag == 0x86 && after == Es10bSegmentAssembler.State.COMPLETE) {
        return Optional.of(finish());
      }
      return Optional.empty();
    }

    private static Es10bSegmentAssembler.State expectedFor(int tag) {
      return switch (tag) {
        case 0xA0 -> Es10bSegmentAssembler.State.EXPECT_A0;
        case 0x88 -> Es10bSegmentAssembler.State.EXPECT_88;
        case 0xA2 -> Es10bSegmentAssembler.State.EXPECT_A2_OR_A3_HEADER;
        default -> Es10bSegmentAssembler.State.EXPECT_86;
      };
    }

    @Override
    public LoadOutcome malformed(Es10bSegmentAssembler.State expected) {
      if (outcome != null) {
        return outcome;
      }
      BppCommandId at =
          switch (expected) {
            case EXPECT_HEADER -> BppCommandId.INITIALISE_SECURE_CHANNEL;
            case EXPECT_A0 -> BppCommandId.CONFIGURE_ISDP;
            case EXPECT_A1_HEADER, EXPECT_88 -> BppCommandId.STORE_METADATA;
            case EXPECT_A2_OR_A3_HEADER, EXPECT_A3_HEADER -> BppCommandId.REPLACE_SESSION_KEYS;
            default -> BppCommandId.LOAD_PROFILE_ELEMENTS;
          };
      return answer(stream.malformed(at));
    }

    private LoadOutcome finish() {
      return chip.locked(
          () -> {
            ChipOpeningContext context =
                new ChipOpeningContext(chip, chips, certificates, profileMemoryBytes);
            OpeningResult result = stream.finish(context);
            if (result instanceof OpeningResult.Installed installed) {
              try (installed) {
                outcome = install(chip, installed, smdpOid, signer);
                return outcome;
              }
            }
            return answerLocked((OpeningResult.Rejected) result);
          });
    }

    private LoadOutcome answer(OpeningResult.Rejected rejected) {
      return chip.locked(() -> answerLocked(rejected));
    }

    LoadOutcome answerLocked(OpeningResult.Rejected rejected) {
      stream.close();
      outcome = reject(chip, rejected, rejected.transactionId().orElse(txId), smdpOid, signer);
      return outcome;
    }

    @Override
    public void close() {
      stream.close();
    }
  }

  // The installed profile's hash: ACCP's native SHA-256 when present (with the JDK's, a 12 KB
  // profile cost a C1-compiled simulator a seventh of its Java CPU per load, measured
  // 2026-11-27), else the JDK's.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(AccpSupport::sha256);

  private LoadOutcome install(
      Chip chip, OpeningResult.Installed installed, Optional<String> smdpOid, Signer signer) {
    // Hashed in place: the plain profile exists once, and the caller's close of the opening result
    // wipes it.
    MessageDigest md = SHA256.get();
    md.reset();
    String sha256 =
        HexFormat.of().formatHex(md.digest(installed.profile().unsafeView(SecretAccess.GRANTED)));
    ProfileMetadata metadata = ProfileMetadata.of(installed.metadata());
    InstalledProfile profile =
        new InstalledProfile(
                installed.iccid(),
                "",
                sha256,
                installed.txId(),
                installed.profile().size(),
                clock.instant(),
                chip.nextIsdpAid())
            .withMetadata(
                metadata.serviceProviderName(),
                metadata
                    .profileName()
                    .orElseGet(() -> installed.profile().profileName().orElse("")),
                metadata.profileClass());
    chip.install(profile);
    long seq = chip.nextSequenceNumber();
    byte[] pir =
        results.success(
            installed.txId(), seq, installed.iccid(), profile.isdpAidBytes(), smdpOid, signer);
    // The install and its signed result are durable in one save, before the result leaves.
    chip.addNotification(
        new PendingNotification(seq, installed.txId(), Optional.of(installed.iccid()), true, pir));
    chips.save(chip);
    return new LoadOutcome(
        chip.eid(),
        true,
        Optional.empty(),
        Optional.of(installed.iccid()),
        Optional.of(installed.txId()),
        chip.unusedKeyCount(),
        pir);
  }

  private LoadOutcome reject(
      Chip chip,
      OpeningResult.Rejected rejected,
      byte[] bpp,
      Optional<String> smdpOid,
      Signer signer) {
    return reject(
        chip,
        rejected,
        rejected.transactionId().or(() -> readTransactionId(bpp)).orElse(null),
        smdpOid,
        signer);
  }

  private LoadOutcome reject(
      Chip chip,
      OpeningResult.Rejected rejected,
      TransactionId transactionId,
      Optional<String> smdpOid,
      Signer signer) {
    Optional<TransactionId> txId = Optional.ofNullable(transactionId);
    if (txId.isEmpty()) {
      // Not even a readable BF23: no transaction to answer, and nothing was consumed.
      throw new MalformedPackageException(
          SimulatorError.MALFORMED_PACKAGE, "not a Bound Profile Package (no readable BF36/BF23)");
    }
    long seq = chip.nextSequenceNumber();
    byte[] pir =
        results.failure(
            txId.get(), seq, rejected.bppCommandId(), rejected.reason(), smdpOid, signer);
    // A replay (the transaction's key already used) neither duplicates nor replaces the result
    // the chip keeps for that transaction.
    if (!chip.hasNotificationFor(txId.get())) {
      chip.addNotification(new PendingNotification(seq, txId.get(), Optional.empty(), false, pir));
    }
    chips.save(chip);
    return new LoadOutcome(
        chip.eid(),
        false,
        Optional.of(rejected.reason().asn1Name()),
        Optional.empty(),
        txId,
        chip.unusedKeyCount(),
        pir);
  }

  /** The transactionId of BF23 for results of checks that ran before the opener read it. */
  private static Optional<TransactionId> readTransactionId(byte[] bpp) {
    try {
      Tlv root = TlvReader.readSingle(bpp, TlvLimits.DEFAULT);
      if (root.tag() != BoundProfilePackage.TAG) {
        return Optional.empty();
      }
      List<Tlv> parts = root.children();
      if (parts.isEmpty() || parts.get(0).tag() != InitialiseSecureChannelRequest.TAG) {
        return Optional.empty();
      }
      return Optional.of(InitialiseSecureChannelRequest.parse(parts.get(0)).transactionId());
    } catch (ProfilePackageException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The transactionId of a BF23 given on its own (a package's first segment). */
  private static Optional<TransactionId> transactionIdOf(byte[] bf23) {
    try {
      return Optional.of(
          InitialiseSecureChannelRequest.parse(TlvReader.readSingle(bf23, TlvLimits.DEFAULT))
              .transactionId());
    } catch (ProfilePackageException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static X509Certificate parseCertificate(byte[] der) {
    try {
      return CertificateFiles.parse(der);
    } catch (IllegalArgumentException e) {
      return null; // the opener refuses a missing certificate at step 2
    }
  }
}
