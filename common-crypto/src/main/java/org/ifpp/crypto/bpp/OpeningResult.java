package org.ifpp.crypto.bpp;

import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;

/**
 * The outcome of {@link BoundProfilePackageOpener#open}: either the profile to install, or a
 * rejection with its SGP.22 error reason and the BppCommandId it happened at (IFPP.md section 6).
 */
public sealed interface OpeningResult permits OpeningResult.Installed, OpeningResult.Rejected {

  /** The transactionId of BF23, if it could be read. */
  Optional<TransactionId> transactionId();

  /**
   * The package passed every check.
   *
   * @param profile the plain profile (secret; close it after installation)
   * @param metadata the StoreMetadataRequest
   * @param transactionId from BF23
   * @param usedOneTimeKey the consumed one-time public key
   * @param ppkMode true if the profile came protected with PPKs (A2)
   */
  record Installed(
      UnprotectedProfilePackage profile,
      StoreMetadataRequest metadata,
      TransactionId txId,
      EcPublicKey usedOneTimeKey,
      boolean ppkMode)
      implements OpeningResult, AutoCloseable {

    public Installed {
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(txId, "txId");
    }

    public Iccid iccid() {
      return profile.iccid();
    }

    @Override
    public Optional<TransactionId> transactionId() {
      return Optional.of(txId);
    }

    @Override
    public void close() {
      profile.close();
    }
  }

  /**
   * The package was refused; nothing was installed.
   *
   * @param reason the SGP.22 error reason
   * @param bppCommandId where processing stopped
   * @param txId the transactionId of BF23, or null if unreadable
   * @param consumedKey the one-time key consumed (step 6 reached), or null
   */
  record Rejected(
      ErrorReason reason, BppCommandId bppCommandId, TransactionId txId, EcPublicKey consumedKey)
      implements OpeningResult {

    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(bppCommandId, "bppCommandId");
    }

    @Override
    public Optional<TransactionId> transactionId() {
      return Optional.ofNullable(txId);
    }

    /** The one-time key that was consumed before the failure (GENS08), if any. */
    public Optional<EcPublicKey> consumedOneTimeKey() {
      return Optional.ofNullable(consumedKey);
    }
  }
}
