package org.ifpp.euicc.chip;

import java.time.Instant;
import java.util.Objects;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * What the simulated chip remembers of an installed profile: its ICCID, its name (from the
 * StoreMetadataRequest), the SHA-256 of the plain profile content, and the transaction that
 * installed it. The content itself is not kept: a real eUICC would run it, a simulator has no use
 * for it after the install, and not keeping plain profiles means no Ki or OPc ever lands on disk.
 *
 * @param iccid the profile's ICCID
 * @param name the profile name from the metadata (may be empty)
 * @param contentSha256 hex SHA-256 of the decrypted profile content (the concatenated plain 86
 *     segments)
 * @param transactionId the transactionId of the installing binding
 * @param sizeBytes size of the plain profile, counted against the chip's profile memory
 * @param installedAt when it was installed
 */
public record InstalledProfile(
    Iccid iccid,
    String name,
    String contentSha256,
    TransactionId transactionId,
    int sizeBytes,
    Instant installedAt) {

  public InstalledProfile {
    Objects.requireNonNull(iccid, "iccid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentSha256, "contentSha256");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(installedAt, "installedAt");
  }
}
