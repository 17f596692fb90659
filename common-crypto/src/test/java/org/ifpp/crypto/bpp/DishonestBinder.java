package org.ifpp.crypto.bpp;

import java.util.List;
import org.ifpp.crypto.bsp.BspChannel;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * Test helper: a correctly keyed and signed session-mode package around arbitrary A0, A1 and A3
 * plaintexts, to reach the opener's content checks (steps 7-8) with content no honest builder
 * makes.
 */
final class DishonestBinder {

  private DishonestBinder() {}

  static byte[] bind(
      Signer signer,
      HostId host,
      Eid eid,
      EcPublicKey otPkEuicc,
      byte[] configureIsdp,
      byte[] metadata,
      byte[] profile) {
    try (OneTimeKeyPair eph =
            OneTimeKeyPair.generate(otPkEuicc.curve(), new java.security.SecureRandom());
        SecretBytes z = Ecka.sharedSecret(eph, otPkEuicc);
        SessionKeys keys = BspKdf.derive(z, host, eid);
        BspChannel ch = BspChannel.start(keys)) {
      InitialiseSecureChannelRequest isc =
          InitialiseSecureChannelRequest.create(
              TransactionId.fromHex("0102"), host, eph.publicKey(), otPkEuicc, signer);
      List<byte[]> a0 = ch.encryptAndMacAll(0x87, configureIsdp);
      List<byte[]> a1 = ch.macOnlyAll(0x88, metadata);
      List<byte[]> a3 = ch.encryptAndMacAll(0x86, profile);
      return BoundProfilePackage.assemble(
              isc,
              a0,
              a1,
              null,
              TlvWriter.encode(0xA3, TlvWriter.concat(a3.toArray(new byte[0][]))))
          .encode();
    }
  }
}
