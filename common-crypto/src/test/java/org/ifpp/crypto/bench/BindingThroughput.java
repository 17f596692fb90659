package org.ifpp.crypto.bench;

import java.security.SecureRandom;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.Vectors;

/**
 * Not a test: a single-thread throughput measurement of bindings (run by hand, see
 * docs/bpp-format.md). Args: seconds per mode (default 5).
 */
public final class BindingThroughput {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    SecureRandom random = new SecureRandom();
    for (Curve curve : Curve.values()) {
      SoftwareSigner signer =
          SoftwareSigner.fromPem(
              Vectors.readString(
                  "sgp26-certs/SK_S_SM_DPpb_ECDSA_"
                      + (curve == Curve.P256 ? "NIST" : "BRP")
                      + ".pem"),
              random);
      OneTimeKeyPair euicc = OneTimeKeyPair.generate(curve, random);
      Eid eid = Eid.of("89049032123451234512345678901235");
      HostId host = HostId.ofText("KM");
      try (UnprotectedProfilePackage upp =
              UnprotectedProfilePackage.parse(Vectors.read(Vectors.TS48_PROFILES[2]));
          ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
        ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
        for (boolean ppk : new boolean[] {true, false}) {
          for (int round = 0; round < 2; round++) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            int n = 0;
            while (System.nanoTime() < end) {
              BoundProfilePackageBuilder b =
                  BoundProfilePackageBuilder.bind(signer, host, eid, euicc.publicKey());
              (ppk ? b.ppkMode(ppp, ppks) : b.sessionKeyMode(upp)).build();
              n++;
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(
                "%s %s mode, %s: %.0f bindings/s (one thread)%n",
                curve, ppk ? "PPK" : "session-key", round == 0 ? "warm-up" : "measured", rate);
          }
        }
      }
    }
  }
}
