package org.ifpp.euicc.card;

import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.euicc.loading.Es10bLoading;
import org.ifpp.euicc.loading.LoadOutcome;
import org.ifpp.euicc.loading.MalformedPackageException;
import org.ifpp.euicc.loading.OneTimeKeyUnavailableException;
import org.ifpp.euicc.loading.SegmentationException;

/**
 * ES10b.LoadBoundProfilePackage on one logical channel (SGP.22 5.7.6 and 2.5.5): the segments of
 * one package, each a complete STORE DATA command, go through the simulator's one segmented load
 * path ({@link Es10bLoading}, as the HTTP sessions do); an intermediate segment answers {@code
 * 9000} without data; the first that fails, or the last one, answers the signed
 * ProfileInstallationResult ({@code BF37}).
 *
 * <p>The Key Maker's binding certificate (CERT.DPpb) reaches the chip before the package in a
 * proprietary command {@code F4 {certificate DER}}: there is no ES8+ AuthenticateServer in the
 * factory to carry it. It serves every following load on the channel; without one, a load is
 * answered {@code invalidCertificate} (step 2).
 *
 * <p>The identifier of the one-time key the next package is bound to (SGP.22's {@code
 * bppEuiccOtpk}, which SGP.22 carries in PrepareDownload's SmdpSigned2) may come before it in a
 * second proprietary command {@code F5 {5F49 41 otPK.EUICC}}: answered {@code 9000} if the chip
 * holds that key unused, {@code 6985} if it had it (consumed or wiped), {@code 6A88} if it never
 * had it, nothing changed either way. The chip then checks the package against that key only. It
 * serves the next package on the channel only; a package without one is opened as before.
 *
 * <p>The checks of IFPP.md section 6 run as the segments arrive ({@link Es10bLoading},
 * common-crypto's segment-by-segment opener), so a refusal is answered at the first segment that
 * fails, with the signed ProfileInstallationResult, as SGP.22 5.7.6 says: checks 1 to 5 on the
 * first segment (BF36 header and BF23; nothing consumed), then step 6 (the one-time key consumed)
 * and each 87, 88 and 86 MAC-verified and decrypted as it comes (step 7), the content checks of
 * step 8 at the last segment. The later segments of an answered package find no package begun
 * ({@code 6985}).
 *
 * <p>A segment that breaks the segmentation (wrong tag, length or order) is answered {@code 6A80}
 * while it is the first segment (nothing on the chip changed); after it, the key is consumed and
 * the package is answered {@code scp03tStructureError}. A package abandoned after its first segment
 * (a new {@code F4}, {@code F5} or BF36, the channel closed, the card reset) keeps its key
 * consumed, as SGP.22's eUICC deletes otSK.EUICC.ECKA once the session keys are derived.
 */
final class Es10Load {

  static final int BINDING_CERTIFICATE_TAG = 0xF4;
  static final int ONE_TIME_KEY_TAG = 0xF5;
  private static final byte[] NO_CERTIFICATE = new byte[0];

  private final Eid eid;
  private final CardServices services;
  private byte[] bindingCertificate = NO_CERTIFICATE;
  private BppEuiccOtpk named;
  private Es10bLoading loading;

  Es10Load(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  static boolean isSegmentTag(int tag) {
    return switch (tag) {
      case 0xBF36, 0xA0, 0xA1, 0x88, 0xA2, 0xA3, 0x86 -> true;
      default -> false;
    };
  }

  /** The proprietary {@code F4}: the binding certificate for the next package. */
  Es10Response bindingCertificate(byte[] certificateDer) {
    if (certificateDer.length == 0) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    bindingCertificate = certificateDer.clone();
    endPackage();
    return Es10Response.ok();
  }

  /** The proprietary {@code F5 {5F49 41 otPK.EUICC}}: the key the next package is bound to. */
  Es10Response oneTimeKey(Tlv request) {
    endPackage();
    List<Tlv> c = request.children();
    if (c.size() != 1) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    BppEuiccOtpk key;
    try {
      key = BppEuiccOtpk.decode(c.get(0).encoded());
    } catch (IllegalArgumentException e) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    try {
      services.loader().requireUnusedOneTimeKey(eid, key);
    } catch (OneTimeKeyUnavailableException e) {
      return unavailable(e);
    }
    named = key;
    return Es10Response.ok();
  }

  private static Es10Response unavailable(OneTimeKeyUnavailableException e) {
    return Es10Response.error(
        e.spent() ? StatusWord.CONDITIONS_NOT_SATISFIED : StatusWord.REFERENCED_DATA_NOT_FOUND);
  }

  Es10Response segment(int tag, byte[] segment) {
    if (tag == 0xBF36) {
      BppEuiccOtpk key = named;
      endPackage();
      loading =
          new Es10bLoading(
              services.loader(), eid, bindingCertificate, key, services.maxPackageBytes());
    } else if (loading == null) {
      return Es10Response.error(StatusWord.CONDITIONS_NOT_SATISFIED);
    }
    try {
      Optional<LoadOutcome> answered = loading.accept(segment);
      if (answered.isPresent()) {
        endPackage();
        return Es10Response.ok(answered.get().profileInstallationResult());
      }
      return Es10Response.ok();
    } catch (SegmentationException | MalformedPackageException e) {
      // the first segment: nothing on the chip changed
      endPackage();
      return Es10Response.error(StatusWord.WRONG_DATA);
    } catch (OneTimeKeyUnavailableException e) {
      endPackage();
      return unavailable(e);
    } catch (RuntimeException e) {
      endPackage();
      throw e;
    }
  }

  /**
   * The package is answered or abandoned: its segments, its key id and its session keys are done
   * with (a package abandoned after its first segment keeps its one-time key consumed).
   */
  private void endPackage() {
    named = null;
    if (loading != null) {
      loading.close();
      loading = null;
    }
  }

  /** The channel is closed or the card reset: a package being received is abandoned. */
  void abandon() {
    endPackage();
  }

  /** Whether a package is being received (some segments accepted, not the last). */
  boolean inProgress() {
    return loading != null;
  }
}
