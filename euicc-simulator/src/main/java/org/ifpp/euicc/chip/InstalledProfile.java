package org.ifpp.euicc.chip;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * What the simulated chip remembers of an installed profile: its ICCID, its names and class (from
 * the StoreMetadataRequest), its ISD-P and state (what ES10c.GetProfilesInfo reports, SGP.22
 * 5.7.15), the SHA-256 of the plain profile content, and the transaction that installed it. The
 * content itself is not kept: a real eUICC would run it, a simulator has no use for it after the
 * install, and not keeping plain profiles means no Ki or OPc ever lands on disk.
 *
 * @param iccid the profile's ICCID
 * @param name the profile name (metadata {@code 92}, else the profile header's; may be empty)
 * @param contentSha256 hex SHA-256 of the decrypted profile content (the concatenated plain 86
 *     segments)
 * @param transactionId the transactionId of the installing binding
 * @param sizeBytes size of the plain profile, counted against the chip's profile memory
 * @param installedAt when it was installed
 * @param isdpAid hex AID of the profile's ISD-P (16 bytes), as the installation result reports it
 * @param enabled the profile state (SGP.22 profileState: disabled 0, enabled 1); installed disabled
 * @param serviceProviderName metadata {@code 91} (may be empty)
 * @param profileClass metadata {@code 95}: test 0, provisioning 1, operational 2 (the default)
 * @param nickname the end user's nickname ({@code 90}), if one was set
 */
public record InstalledProfile(
    Iccid iccid,
    String name,
    String contentSha256,
    TransactionId transactionId,
    int sizeBytes,
    Instant installedAt,
    String isdpAid,
    boolean enabled,
    String serviceProviderName,
    int profileClass,
    Optional<String> nickname) {

  /** SGP.22 ProfileClass operational(2), the default of StoreMetadataRequest. */
  public static final int OPERATIONAL = 2;

  public InstalledProfile {
    Objects.requireNonNull(iccid, "iccid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentSha256, "contentSha256");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(installedAt, "installedAt");
    Objects.requireNonNull(serviceProviderName, "serviceProviderName");
    Objects.requireNonNull(nickname, "nickname");
    if (isdpAid == null || !isdpAid.matches("[0-9A-F]{32}")) {
      throw new IllegalArgumentException("ISD-P AID must be 16 bytes in upper-case hex");
    }
    if (profileClass < 0 || profileClass > 2) {
      throw new IllegalArgumentException("profile class must be 0, 1 or 2");
    }
  }

  /** A freshly installed (disabled, operational unless said otherwise, no nickname) profile. */
  public InstalledProfile(
      Iccid iccid,
      String name,
      String contentSha256,
      TransactionId transactionId,
      int sizeBytes,
      Instant installedAt,
      String isdpAid) {
    this(
        iccid,
        name,
        contentSha256,
        transactionId,
        sizeBytes,
        installedAt,
        isdpAid,
        false,
        "",
        OPERATIONAL,
        Optional.empty());
  }

  /**
   * The ISD-P AID of the n-th ISD-P (n from 1): {@code A0000005591010FFFFFFFF89000010 00} with byte
   * 14 {@code 0x10 + n}, the SGP.02 pattern the results have always carried.
   */
  public static String isdpAidNumber(int n) {
    if (n < 1 || n > 0xEF) {
      throw new IllegalArgumentException("ISD-P number out of range: " + n);
    }
    byte[] aid = HexFormat.of().parseHex("A0000005591010FFFFFFFF8900001000");
    aid[14] = (byte) (0x10 + n);
    return HexFormat.of().withUpperCase().formatHex(aid);
  }

  public byte[] isdpAidBytes() {
    return HexFormat.of().parseHex(isdpAid);
  }

  public InstalledProfile withEnabled(boolean state) {
    return new InstalledProfile(
        iccid,
        name,
        contentSha256,
        transactionId,
        sizeBytes,
        installedAt,
        isdpAid,
        state,
        serviceProviderName,
        profileClass,
        nickname);
  }

  public InstalledProfile withNickname(Optional<String> value) {
    return new InstalledProfile(
        iccid,
        name,
        contentSha256,
        transactionId,
        sizeBytes,
        installedAt,
        isdpAid,
        enabled,
        serviceProviderName,
        profileClass,
        value);
  }

  public InstalledProfile withMetadata(String spn, String profileName, int profileClassValue) {
    return new InstalledProfile(
        iccid,
        profileName,
        contentSha256,
        transactionId,
        sizeBytes,
        installedAt,
        isdpAid,
        enabled,
        spn,
        profileClassValue,
        nickname);
  }
}
