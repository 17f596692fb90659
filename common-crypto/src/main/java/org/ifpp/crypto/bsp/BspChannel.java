package org.ifpp.crypto.bsp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * One BSP instance (SGP.22 section 2.6.4.4-2.6.4.5, IFPP.md section 5): a key set with its block
 * counter (from 1, incremented for every segment, MAC-only included) and MAC chaining value (the
 * full 16-byte CMAC of the previous segment). The same state protects on the sender side and
 * verifies-then-decrypts on the receiver side.
 *
 * <p>Segment = {@code tag || BER-length(len(C)+8) || C || CMAC(S-MAC, MCV || tag || length ||
 * C)[0..7]}; C = AES-CBC(S-ENC, ICV, plaintext || 80 00..), ICV = AES-ECB(S-ENC, counter as 16-byte
 * big-endian).
 *
 * <p>Not thread-safe. Holds copies of the keys; {@link #close()} wipes what it can and re-keys the
 * thread's AES ciphers (the JDK's key copies and schedules cannot be wiped; they become garbage).
 */
public final class BspChannel implements AutoCloseable {

  /** Largest plaintext per segment, so that a segment is at most 1020 bytes. */
  public static final int MAX_SEGMENT_PLAINTEXT = 1007;

  private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

  private final SecretKeySpec encKey;
  private final AesCmac cmac;
  private final byte[] mcv;
  private long counter = 1;
  private boolean failed;

  private BspChannel(SessionKeys keys) {
    this.encKey = new SecretKeySpec(keys.sEnc().unsafeView(SecretAccess.GRANTED), "AES");
    this.cmac = new AesCmac(keys.sMac());
    this.mcv = keys.initialMacChainingValue().toByteArray(SecretAccess.GRANTED);
  }

  /** Starts a channel on a key set: counter 1, MCV = the key set's initial value. */
  public static BspChannel start(SessionKeys keys) {
    return new BspChannel(keys);
  }

  /** The counter the next segment will use. */
  public long nextBlockCounter() {
    return counter;
  }

  /** Encrypts and MACs one segment (tag 86 or 87). */
  public byte[] encryptAndMac(int tag, byte[] plaintext) {
    checkSize(plaintext.length);
    return seal(tag, plaintext, 0, plaintext.length, true);
  }

  /** MACs one segment without encryption (tag 88). */
  public byte[] macOnly(int tag, byte[] payload) {
    checkSize(payload.length);
    return seal(tag, payload, 0, payload.length, false);
  }

  /** Splits {@code data} into {@link #MAX_SEGMENT_PLAINTEXT}-byte pieces, each encrypted. */
  public List<byte[]> encryptAndMacAll(int tag, byte[] data) {
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < data.length || off == 0; off += MAX_SEGMENT_PLAINTEXT) {
      int n = Math.min(MAX_SEGMENT_PLAINTEXT, data.length - off);
      out.add(seal(tag, data, off, n, true));
    }
    return out;
  }

  /** Splits {@code data} into {@link #MAX_SEGMENT_PLAINTEXT}-byte pieces, each MAC-only. */
  public List<byte[]> macOnlyAll(int tag, byte[] data) {
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < data.length || off == 0; off += MAX_SEGMENT_PLAINTEXT) {
      int n = Math.min(MAX_SEGMENT_PLAINTEXT, data.length - off);
      out.add(seal(tag, data, off, n, false));
    }
    return out;
  }

  private static void checkSize(int length) {
    if (length > MAX_SEGMENT_PLAINTEXT) {
      throw new IllegalArgumentException("segment plaintext above " + MAX_SEGMENT_PLAINTEXT);
    }
  }

  /** The segment of {@code data[off, off+len)}, encrypted or MAC-only. */
  private byte[] seal(int tag, byte[] data, int off, int len, boolean encrypt) {
    checkUsable();
    int bodyLength = encrypt ? (len / 16 + 1) * 16 : len;
    byte[] tagBytes = TlvWriter.tagBytes(tag);
    byte[] lenBytes = TlvWriter.lengthBytes(bodyLength + 8);
    int body = 16 + tagBytes.length + lenBytes.length;
    byte[] buf = new byte[body + bodyLength + 8];
    System.arraycopy(data, off, buf, body, len);
    if (encrypt) {
      buf[body + len] = (byte) 0x80;
      encrypt(buf, body, bodyLength);
    }
    // After the encryption, which uses the 16 bytes before the body (body >= 18).
    System.arraycopy(mcv, 0, buf, 0, 16);
    System.arraycopy(tagBytes, 0, buf, 16, tagBytes.length);
    System.arraycopy(lenBytes, 0, buf, 16 + tagBytes.length, lenBytes.length);
    byte[] full = cmac.mac(buf, 0, body + bodyLength);
    System.arraycopy(full, 0, mcv, 0, 16);
    System.arraycopy(full, 0, buf, body + bodyLength, 8);
    counter++;
    return Arrays.copyOfRange(buf, 16, buf.length);
  }

  /** Verifies the MAC of an encrypted segment, then decrypts it. */
  public byte[] verifyAndDecrypt(Tlv segment) {
    return open(segment, true);
  }

  /** Verifies the MAC of a MAC-only segment and returns its payload. */
  public byte[] verifyMacOnly(Tlv segment) {
    return open(segment, false);
  }

  private byte[] open(Tlv segment, boolean encrypted) {
    checkUsable();
    int bodyLength = segment.valueLength() - 8;
    if (bodyLength < 0 || (encrypted && (bodyLength < 16 || bodyLength % 16 != 0))) {
      failed = true;
      throw new BspException(BspException.Kind.STRUCTURE, "segment length is not valid");
    }
    byte[] header = segment.header();
    byte[] value = segment.value();
    byte[] buf = new byte[16 + header.length + bodyLength];
    System.arraycopy(mcv, 0, buf, 0, 16);
    System.arraycopy(header, 0, buf, 16, header.length);
    System.arraycopy(value, 0, buf, 16 + header.length, bodyLength);
    byte[] full = cmac.mac(buf);
    if (!MessageDigest.isEqual(
        Arrays.copyOf(full, 8), Arrays.copyOfRange(value, bodyLength, bodyLength + 8))) {
      failed = true;
      throw new BspException(BspException.Kind.SECURITY, "segment verification failed");
    }
    System.arraycopy(full, 0, mcv, 0, 16);
    if (!encrypted) {
      counter++;
      return Arrays.copyOf(value, bodyLength);
    }
    decrypt(value, bodyLength);
    counter++;
    int end = bodyLength - 1;
    while (end >= bodyLength - 16 && value[end] == 0) {
      end--;
    }
    if (end < bodyLength - 16 || value[end] != (byte) 0x80) {
      Arrays.fill(value, (byte) 0);
      failed = true;
      throw new BspException(BspException.Kind.SECURITY, "segment verification failed");
    }
    byte[] plain = Arrays.copyOf(value, end);
    Arrays.fill(value, (byte) 0);
    return plain;
  }

  /**
   * Encrypts {@code buf[off, off+len)} in place, writing over the 16 bytes before it: with the
   * counter block there, one AES-CBC pass under a zero IV gives ICV = AES(S-ENC, counter) as its
   * first block and then exactly the segment encrypted under that ICV, in one cipher call.
   */
  private void encrypt(byte[] buf, int off, int len) {
    int start = off - 16;
    Arrays.fill(buf, start, off, (byte) 0);
    counterBlock(buf, start);
    try {
      Cipher cbc = CryptoProviders.aesCbc();
      cbc.init(Cipher.ENCRYPT_MODE, encKey, ZERO_IV);
      cbc.doFinal(buf, start, 16 + len, buf, start);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
  }

  /** Decrypts {@code buf[0, len)} in place under ICV = AES(S-ENC, counter). */
  private void decrypt(byte[] buf, int len) {
    byte[] block = new byte[16];
    counterBlock(block, 0);
    try {
      // ICV = AES-ECB(S-ENC, counter) = AES-CBC with a zero IV over one block: one cipher for both
      // steps, so its key schedule is made once (SunJCE keeps it while the key stays the same).
      Cipher cbc = CryptoProviders.aesCbc();
      cbc.init(Cipher.ENCRYPT_MODE, encKey, ZERO_IV);
      byte[] icv = cbc.doFinal(block);
      cbc.init(Cipher.DECRYPT_MODE, encKey, new IvParameterSpec(icv));
      cbc.doFinal(buf, 0, len, buf, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
  }

  /** The block counter as a 16-byte big-endian block at {@code buf[off]} (zero-filled before). */
  private void counterBlock(byte[] buf, int off) {
    for (int i = 0; i < 8; i++) {
      buf[off + 15 - i] = (byte) (counter >>> (8 * i));
    }
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException("BSP channel failed earlier; start a new one");
    }
  }

  /**
   * Wipes the MAC chaining value and the CMAC subkeys, and re-keys this thread's AES ciphers so
   * they keep no reference to S-ENC or S-MAC.
   */
  @Override
  public void close() {
    Arrays.fill(mcv, (byte) 0);
    cmac.wipe();
    failed = true;
    CryptoProviders.forgetAesKeys();
  }

  @Override
  public String toString() {
    return "BspChannel[counter=" + counter + ", keys REDACTED]";
  }
}
