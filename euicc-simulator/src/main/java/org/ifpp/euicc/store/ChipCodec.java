package org.ifpp.euicc.store;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipIdentity;
import org.ifpp.euicc.chip.InstalledProfile;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.chip.PendingNotification;

/**
 * The binary form of one chip file (format 1): a magic, the chip's identity, flags, one-time key
 * slots (the private scalar present only for unused keys), installed profiles, pending
 * notifications (signed results not yet acknowledged; absent in older files, read as none), the
 * profiles' ES10c details (ISD-P AID, state, names, class; absent in older files), the device-maker
 * key and the last finalisation counter (absent in older files: none and 0), and a CRC-32 over
 * everything before it so that a torn or damaged file is detected rather than half-read.
 */
final class ChipCodec {

  private static final byte[] MAGIC = {'I', 'F', 'P', 'P', 'C', 'H', 'P', '1'};
  private static final int MAX_FIELD = 64 * 1024;

  private ChipCodec() {}

  /** Encodes into {@code out}; the caller wipes the buffer once written. Call under the lock. */
  static void encode(Chip chip, WipeableBuffer out) {
    encode(chip, out, 0);
  }

  /**
   * Encodes into {@code out}, at least {@code minLength} bytes long: zeros between the content and
   * the CRC fill any shortfall (the decoder reads the content, and the CRC covers the zeros too),
   * so that a file rewritten in place never keeps a tail of its previous version.
   */
  static void encode(Chip chip, WipeableBuffer out, int minLength) {
    try {
      DataOutputStream data = new DataOutputStream(out);
      data.write(MAGIC);
      data.writeUTF(chip.eid().value());
      ChipIdentity id = chip.identity();
      data.writeUTF(id.curve().name());
      writeBytes(data, id.certificateDer());
      data.writeInt(id.chainDer().size());
      for (byte[] c : id.chainDer()) {
        writeBytes(data, c);
      }
      writeBytes(data, id.signingKeyPkcs8().unsafeView(SecretAccess.GRANTED));
      data.writeBoolean(chip.ifppEnabled());
      data.writeBoolean(chip.fieldServicesEnabled());
      data.writeLong(chip.sequenceNumber());
      data.writeInt(chip.oneTimeKeys().size());
      for (OneTimeKeySlot k : chip.oneTimeKeys()) {
        data.writeInt(k.index());
        writeBytes(data, k.publicKey().toUncompressed());
        data.writeByte(k.state().ordinal());
        if (k.isUnused()) {
          try (SecretBytes scalar = k.keyPair().exportPrivateScalar(SecretAccess.GRANTED)) {
            writeBytes(data, scalar.unsafeView(SecretAccess.GRANTED));
          }
        }
      }
      data.writeInt(chip.profiles().size());
      for (InstalledProfile p : chip.profiles()) {
        data.writeUTF(p.iccid().value());
        data.writeUTF(p.name());
        data.writeUTF(p.contentSha256());
        data.writeUTF(p.transactionId().toHex());
        data.writeInt(p.sizeBytes());
        data.writeLong(p.installedAt().toEpochMilli());
      }
      data.writeInt(chip.notifications().size());
      for (PendingNotification n : chip.notifications()) {
        data.writeLong(n.seqNumber());
        writeBytes(data, n.transactionId().toBytes());
        data.writeUTF(n.iccid().map(Iccid::value).orElse(""));
        data.writeBoolean(n.installed());
        writeBytes(data, n.profileInstallationResult());
      }
      // Added with the card interface (ES10c): what GetProfilesInfo reports, per profile.
      data.writeInt(chip.profiles().size());
      for (InstalledProfile p : chip.profiles()) {
        data.writeUTF(p.isdpAid());
        data.writeBoolean(p.enabled());
        data.writeUTF(p.serviceProviderName());
        data.writeByte(p.profileClass());
        data.writeBoolean(p.nickname().isPresent());
        data.writeUTF(p.nickname().orElse(""));
      }
      // Finalisation trust and counter (absent in older files, read as none and 0).
      byte[] dm = chip.deviceMakerKey().map(EcPublicKey::toUncompressed).orElse(new byte[0]);
      writeBytes(data, dm);
      data.writeLong(chip.finalisationCounter());
      for (int pad = minLength - 8 - out.size(); pad > 0; pad--) {
        data.write(0);
      }
      data.flush();
      CRC32 crc = new CRC32();
      crc.update(out.array(), 0, out.size());
      data.writeLong(crc.getValue());
      data.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Chip decode(byte[] file) {
    if (file.length < MAGIC.length + 8
        || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
      throw new CorruptChipFileException("not a chip file (format 1)", null);
    }
    CRC32 crc = new CRC32();
    crc.update(file, 0, file.length - 8);
    long stored = 0;
    for (int i = file.length - 8; i < file.length; i++) {
      stored = (stored << 8) | (file[i] & 0xFF);
    }
    if (stored != crc.getValue()) {
      throw new CorruptChipFileException("chip file checksum mismatch", null);
    }
    try (DataInputStream in =
        new DataInputStream(
            new ByteArrayInputStream(file, MAGIC.length, file.length - 8 - MAGIC.length))) {
      Eid eid = Eid.of(in.readUTF());
      Curve curve = Curve.valueOf(in.readUTF());
      byte[] cert = readBytes(in);
      int chainCount = in.readInt();
      List<byte[]> chain = new ArrayList<>();
      for (int i = 0; i < chainCount; i++) {
        chain.add(readBytes(in));
      }
      SecretBytes signingKey = SecretBytes.adopt(readBytes(in));
      boolean ifpp = in.readBoolean();
      boolean field = in.readBoolean();
      long sequenceNumber = in.readLong();
      int keyCount = in.readInt();
      List<OneTimeKeySlot> keys = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        int index = in.readInt();
        EcPublicKey pk = EcPublicKey.fromUncompressed(curve, readBytes(in));
        OneTimeKeySlot.State state = OneTimeKeySlot.State.values()[in.readByte()];
        if (state == OneTimeKeySlot.State.UNUSED) {
          try (SecretBytes scalar = SecretBytes.adopt(readBytes(in))) {
            keys.add(OneTimeKeySlot.unused(index, OneTimeKeyPair.fromPrivateScalar(curve, scalar)));
          }
        } else {
          keys.add(OneTimeKeySlot.spent(index, pk, state));
        }
      }
      int profileCount = in.readInt();
      List<InstalledProfile> profiles = new ArrayList<>();
      for (int i = 0; i < profileCount; i++) {
        profiles.add(
            new InstalledProfile(
                Iccid.of(in.readUTF()),
                in.readUTF(),
                in.readUTF(),
                TransactionId.fromHex(in.readUTF()),
                in.readInt(),
                Instant.ofEpochMilli(in.readLong()),
                InstalledProfile.isdpAidNumber(i + 1)));
      }
      // Files written before notifications were kept end here, or in the zeros of an in-place
      // rewrite: both read as none.
      int notificationCount = in.available() >= 4 ? in.readInt() : 0;
      List<PendingNotification> notifications = new ArrayList<>();
      for (int i = 0; i < notificationCount; i++) {
        long seq = in.readLong();
        TransactionId txId = TransactionId.of(readBytes(in));
        String iccid = in.readUTF();
        boolean installed = in.readBoolean();
        notifications.add(
            new PendingNotification(
                seq,
                txId,
                iccid.isEmpty() ? Optional.empty() : Optional.of(Iccid.of(iccid)),
                installed,
                readBytes(in)));
      }
      // Files written before the card interface end here (or in zeros): their profiles keep the
      // ISD-P AIDs their results named (numbered in install order), disabled, operational.
      int detailCount = in.available() >= 4 ? in.readInt() : 0;
      if (detailCount != 0 && detailCount != profiles.size()) {
        throw new IOException("profile details do not match the profiles");
      }
      for (int i = 0; i < detailCount; i++) {
        String aid = in.readUTF();
        boolean enabled = in.readBoolean();
        String spn = in.readUTF();
        int profileClass = in.readByte();
        boolean hasNickname = in.readBoolean();
        String nickname = in.readUTF();
        InstalledProfile p = profiles.get(i);
        profiles.set(
            i,
            new InstalledProfile(
                p.iccid(),
                p.name(),
                p.contentSha256(),
                p.transactionId(),
                p.sizeBytes(),
                p.installedAt(),
                aid,
                enabled,
                spn,
                profileClass,
                hasNickname ? Optional.of(nickname) : Optional.empty()));
      }
      // Files written before finalisation by command end here, or in zeros: no device-maker key,
      // counter 0. The device-maker key is P-256 (docs/finalisation.md).
      byte[] dm = in.available() >= 4 ? readBytes(in) : new byte[0];
      long finalisationCounter = in.available() >= 8 ? in.readLong() : 0;
      return new Chip(
          eid,
          new ChipIdentity(cert, chain, curve, signingKey),
          keys,
          profiles,
          ifpp,
          field,
          sequenceNumber,
          notifications,
          dm.length == 0 ? null : EcPublicKey.fromUncompressed(Curve.P256, dm),
          finalisationCounter);
    } catch (IOException | RuntimeException e) {
      throw new CorruptChipFileException("chip file is malformed", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELD) {
      throw new IOException("field length out of range");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
