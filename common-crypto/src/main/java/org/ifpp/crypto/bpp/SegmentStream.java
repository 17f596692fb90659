package org.ifpp.crypto.bpp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ifpp.crypto.bsp.BspChannel;
import org.ifpp.crypto.bsp.BspException;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The one path that verifies and decrypts a Bound Profile Package's segments with known keys
 * (SGP.22 section 2.6.4, IFPP.md section 6 step 7), one segment at a time and in the package's
 * order: the 87s of A0, each 88 of A1, the 87 of A2 if any, each 86 of A3. Every segment's MAC is
 * verified before it is decrypted; the session channel covers A0, A1 and A2; A3 continues it
 * (session-key mode) or starts a fresh channel on the PPKs of A2, or on PPKs given out of band.
 *
 * <p>Both the whole-package decoder and the eUICC's segment-by-segment opener run on it. After a
 * {@link BppDecodeException} the stream is failed and keeps nothing; {@link #close()} wipes every
 * decrypted byte it still holds. Not thread-safe.
 */
final class SegmentStream implements AutoCloseable {

  private enum Stage {
    CONFIGURE_ISDP,
    STORE_METADATA,
    AFTER_METADATA,
    PROFILE,
    FINISHED,
    FAILED
  }

  private final BspChannel session;
  private final ProfileProtectionKeys externalPpks;
  private Stage stage = Stage.CONFIGURE_ISDP;
  private ConfigureIsdpRequest configureIsdp;
  private final List<byte[]> metadataParts = new ArrayList<>(2);
  private StoreMetadataRequest metadata;
  private ProfileProtectionKeys ppks;
  private BspChannel profileChannel;
  private boolean ppkMode;
  private final List<byte[]> plains = new ArrayList<>();
  private int profileBytes;

  /**
   * @param externalPpks the PPKs for A3 when the package has no A2 (packages whose PPKs travel out
   *     of band, as in pySim's tests), or null; neither key set is closed by the stream
   */
  SegmentStream(SessionKeys sessionKeys, ProfileProtectionKeys externalPpks) {
    this.session = BspChannel.start(sessionKeys);
    this.externalPpks = externalPpks;
  }

  /** The A0 segments (87): ConfigureISDPRequest, decrypted and parsed. */
  void configureIsdp(List<Tlv> segments) throws BppDecodeException {
    expect(Stage.CONFIGURE_ISDP, BppCommandId.CONFIGURE_ISDP);
    byte[][] parts = new byte[segments.size()][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = open(session, segments.get(i), true, BppCommandId.CONFIGURE_ISDP);
    }
    try {
      configureIsdp = ConfigureIsdpRequest.parse(TlvWriter.concat(parts));
    } catch (ProfilePackageException e) {
      throw fail(BppCommandId.CONFIGURE_ISDP, BppDecodeException.Kind.CONTENT, e.code().name());
    }
    stage = Stage.STORE_METADATA;
  }

  /** One A1 segment (88), MAC only. */
  void storeMetadata(Tlv segment) throws BppDecodeException {
    expect(Stage.STORE_METADATA, BppCommandId.STORE_METADATA);
    metadataParts.add(open(session, segment, false, BppCommandId.STORE_METADATA));
  }

  /** A1 is complete: its StoreMetadataRequest is parsed. */
  void endStoreMetadata() throws BppDecodeException {
    expect(Stage.STORE_METADATA, BppCommandId.STORE_METADATA);
    if (metadataParts.isEmpty()) {
      throw fail(BppCommandId.STORE_METADATA, BppDecodeException.Kind.STRUCTURE, "A1 is empty");
    }
    try {
      metadata = StoreMetadataRequest.parse(TlvWriter.concat(metadataParts.toArray(new byte[0][])));
    } catch (ProfilePackageException e) {
      throw fail(BppCommandId.STORE_METADATA, BppDecodeException.Kind.CONTENT, e.code().name());
    }
    metadataParts.clear();
    stage = Stage.AFTER_METADATA;
  }

  /** The A2 segment (87): ReplaceSessionKeysRequest, whose PPKs protect A3. */
  void replaceSessionKeys(Tlv segment) throws BppDecodeException {
    expect(Stage.AFTER_METADATA, BppCommandId.REPLACE_SESSION_KEYS);
    if (ppks != null) {
      throw fail(BppCommandId.REPLACE_SESSION_KEYS, BppDecodeException.Kind.STRUCTURE, "A2 twice");
    }
    byte[] bf26 = open(session, segment, true, BppCommandId.REPLACE_SESSION_KEYS);
    try {
      ppks = ReplaceSessionKeysRequest.decode(bf26);
    } catch (ProfilePackageException e) {
      throw fail(BppCommandId.REPLACE_SESSION_KEYS, BppDecodeException.Kind.STRUCTURE, "BF26");
    }
  }

  /** One A3 segment (86): a piece of the profile, verified and decrypted. */
  void profileElement(Tlv segment) throws BppDecodeException {
    if (stage == Stage.AFTER_METADATA) {
      if (ppks != null || externalPpks != null) {
        ppkMode = true;
        profileChannel = BspChannel.start((ppks != null ? ppks : externalPpks).asKeySet());
      } else {
        profileChannel = session;
      }
      stage = Stage.PROFILE;
    }
    expect(Stage.PROFILE, BppCommandId.LOAD_PROFILE_ELEMENTS);
    byte[] plain = open(profileChannel, segment, true, BppCommandId.LOAD_PROFILE_ELEMENTS);
    plains.add(plain);
    profileBytes += plain.length;
  }

  /**
   * The package is complete: the decoded content, which takes over the plain profile (the caller
   * closes it). The decrypted segments go into one array of the exact size: one copy of the plain
   * profile (and one wipe of it) fewer than a maximum-size buffer would need.
   */
  DecodedBoundProfilePackage finish() throws BppDecodeException {
    expect(Stage.PROFILE, BppCommandId.LOAD_PROFILE_ELEMENTS);
    byte[] out = new byte[profileBytes];
    int pos = 0;
    for (byte[] plain : plains) {
      System.arraycopy(plain, 0, out, pos, plain.length);
      pos += plain.length;
    }
    wipePlains();
    stage = Stage.FINISHED;
    return new DecodedBoundProfilePackage(configureIsdp, metadata, ppkMode, SecretBytes.adopt(out));
  }

  private void expect(Stage wanted, BppCommandId at) throws BppDecodeException {
    if (stage != wanted) {
      throw fail(at, BppDecodeException.Kind.STRUCTURE, "segment out of order");
    }
  }

  private byte[] open(BspChannel channel, Tlv seg, boolean encrypted, BppCommandId id)
      throws BppDecodeException {
    try {
      return encrypted ? channel.verifyAndDecrypt(seg) : channel.verifyMacOnly(seg);
    } catch (BspException e) {
      throw fail(
          id,
          e.kind() == BspException.Kind.SECURITY
              ? BppDecodeException.Kind.SECURITY
              : BppDecodeException.Kind.STRUCTURE,
          "segment rejected");
    }
  }

  private BppDecodeException fail(BppCommandId id, BppDecodeException.Kind kind, String message) {
    close();
    stage = Stage.FAILED;
    return new BppDecodeException(id, kind, message);
  }

  private void wipePlains() {
    for (byte[] plain : plains) {
      Arrays.fill(plain, (byte) 0);
    }
    plains.clear();
    profileBytes = 0;
  }

  /** Wipes what the stream holds: channels, PPKs from A2, decrypted segments not yet handed out. */
  @Override
  public void close() {
    wipePlains();
    metadataParts.clear();
    if (profileChannel != null && profileChannel != session) {
      profileChannel.close();
    }
    session.close();
    if (ppks != null) {
      ppks.close();
    }
    if (stage != Stage.FINISHED) {
      stage = Stage.FAILED;
    }
  }
}
