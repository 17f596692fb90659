package org.ifpp.crypto.bpp;

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
 * Verifies and decrypts the segments of a Bound Profile Package with known keys (SGP.22 section
 * 2.6.4, IFPP.md section 6 step 7): every segment's MAC is verified before it is decrypted; the
 * session channel covers A0, A1 and A2; A3 continues it (session-key mode), or starts a fresh
 * channel on the PPKs from A2 (PPK mode). Nothing partial escapes: on failure all decrypted bytes
 * are wiped and a {@link BppDecodeException} names the failing command.
 */
public final class BoundProfilePackageDecoder {

  private BoundProfilePackageDecoder() {}

  /** Decodes with the session keys; A3 uses the PPKs of A2 if present. */
  public static DecodedBoundProfilePackage decode(BoundProfilePackage bpp, SessionKeys session)
      throws BppDecodeException {
    return decode(bpp, session, null);
  }

  /**
   * Decodes with the session keys, and with {@code externalPpks} for A3 when the package has no A2
   * (packages whose PPKs travel out of band, as in pySim's tests). A2's PPKs win if present. Closes
   * neither key set.
   */
  public static DecodedBoundProfilePackage decode(
      BoundProfilePackage bpp, SessionKeys session, ProfileProtectionKeys externalPpks)
      throws BppDecodeException {
    try (BspChannel channel = BspChannel.start(session)) {
      byte[] configure = openAll(channel, bpp.configureIsdpSegments(), BppCommandId.CONFIGURE_ISDP);
      ConfigureIsdpRequest configureIsdp;
      StoreMetadataRequest metadata;
      try {
        configureIsdp = ConfigureIsdpRequest.parse(configure);
      } catch (ProfilePackageException e) {
        throw new BppDecodeException(
            BppCommandId.CONFIGURE_ISDP, BppDecodeException.Kind.CONTENT, e.code().name());
      }
      byte[] meta = macOnlyAll(channel, bpp.storeMetadataSegments());
      try {
        metadata = StoreMetadataRequest.parse(meta);
      } catch (ProfilePackageException e) {
        throw new BppDecodeException(
            BppCommandId.STORE_METADATA, BppDecodeException.Kind.CONTENT, e.code().name());
      }
      if (bpp.replaceSessionKeysSegment().isPresent()) {
        byte[] bf26 =
            open(
                channel,
                bpp.replaceSessionKeysSegment().get(),
                true,
                BppCommandId.REPLACE_SESSION_KEYS);
        ProfileProtectionKeys ppks;
        try {
          ppks = ReplaceSessionKeysRequest.decode(bf26);
        } catch (ProfilePackageException e) {
          throw new BppDecodeException(
              BppCommandId.REPLACE_SESSION_KEYS, BppDecodeException.Kind.STRUCTURE, "BF26");
        }
        try (ppks;
            BspChannel profileChannel = BspChannel.start(ppks.asKeySet())) {
          return done(configureIsdp, metadata, true, profile(profileChannel, bpp));
        }
      }
      if (externalPpks != null) {
        try (BspChannel profileChannel = BspChannel.start(externalPpks.asKeySet())) {
          return done(configureIsdp, metadata, true, profile(profileChannel, bpp));
        }
      }
      return done(configureIsdp, metadata, false, profile(channel, bpp));
    }
  }

  private static DecodedBoundProfilePackage done(
      ConfigureIsdpRequest c, StoreMetadataRequest m, boolean ppkMode, SecretBytes profile) {
    return new DecodedBoundProfilePackage(c, m, ppkMode, profile);
  }

  private static SecretBytes profile(BspChannel channel, BoundProfilePackage bpp)
      throws BppDecodeException {
    // The decrypted segments go into one array of the exact size, owned by the SecretBytes: one
    // copy of the plain profile (and one wipe of it) fewer than a maximum-size buffer would need.
    List<Tlv> segs = bpp.profileElementSegments();
    byte[][] plains = new byte[segs.size()][];
    try {
      int total = 0;
      for (int i = 0; i < plains.length; i++) {
        plains[i] = open(channel, segs.get(i), true, BppCommandId.LOAD_PROFILE_ELEMENTS);
        total += plains[i].length;
      }
      byte[] out = new byte[total];
      int pos = 0;
      for (byte[] plain : plains) {
        System.arraycopy(plain, 0, out, pos, plain.length);
        pos += plain.length;
      }
      return SecretBytes.adopt(out);
    } finally {
      for (byte[] plain : plains) {
        if (plain != null) {
          Arrays.fill(plain, (byte) 0);
        }
      }
    }
  }

  private static byte[] openAll(BspChannel channel, List<Tlv> segs, BppCommandId id)
      throws BppDecodeException {
    byte[][] parts = new byte[segs.size()][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = open(channel, segs.get(i), true, id);
    }
    return TlvWriter.concat(parts);
  }

  private static byte[] macOnlyAll(BspChannel channel, List<Tlv> segs) throws BppDecodeException {
    byte[][] parts = new byte[segs.size()][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = open(channel, segs.get(i), false, BppCommandId.STORE_METADATA);
    }
    return TlvWriter.concat(parts);
  }

  private static byte[] open(BspChannel channel, Tlv seg, boolean encrypted, BppCommandId id)
      throws BppDecodeException {
    try {
      return encrypted ? channel.verifyAndDecrypt(seg) : channel.verifyMacOnly(seg);
    } catch (BspException e) {
      throw new BppDecodeException(
          id,
          e.kind() == BspException.Kind.SECURITY
              ? BppDecodeException.Kind.SECURITY
              : BppDecodeException.Kind.STRUCTURE,
          "segment rejected");
    }
  }
}
