package org.ifpp.keymaker.euiccs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataVerification;
import org.ifpp.crypto.euiccdata.EuiccDataVerifier;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.keymaker.web.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports eUICC data (DPFF10): every record is verified with {@link EuiccDataVerifier} (chain to a
 * trusted CI, EID in the EUM's range and equal to the certificate's, every one-time key signed by
 * the eUICC, no duplicate key or index) before any is stored; one bad record refuses the whole
 * import with the rejection's code. Accepted keys become AVAILABLE binding targets.
 */
@Service
public class EuiccDataService {

  private final EuiccDataVerifier verifier;
  private final EuiccRegistry registry;
  private final TransactionTemplate tx;

  public EuiccDataService(
      TrustProperties trust, EuiccRegistry registry, TransactionTemplate tx, Clock clock) {
    this.verifier =
        new EuiccDataVerifier(new EuiccChainValidator(anchors(trust.ciCertificates()), clock));
    this.registry = registry;
    this.tx = tx;
  }

  private static TrustAnchors anchors(List<Path> files) {
    List<byte[]> ders = new ArrayList<>();
    for (Path p : files) {
      try {
        ders.add(Files.readAllBytes(p));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trust anchor " + p, e);
      }
    }
    return TrustAnchors.fromDer(ders);
  }

  /** The summary of an accepted import. */
  public record Imported(int euiccs, int oneTimeKeys) {}

  /**
   * @throws ApiException 400 malformed, 422 with the rejection code, 409 duplicate-eid
   */
  public Imported importAll(String actor, List<byte[]> records) {
    if (records.isEmpty()) {
      throw ApiException.badRequest("empty-import", "at least one eUICC data record");
    }
    List<EuiccRegistry.VerifiedEuicc> chips = new ArrayList<>(records.size());
    Set<String> eids = new HashSet<>();
    Set<org.ifpp.crypto.ec.EcPublicKey> points = new HashSet<>();
    int keys = 0;
    for (int i = 0; i < records.size(); i++) {
      EuiccDataVerification v = verifier.verify(records.get(i));
      if (v instanceof EuiccDataVerification.Rejected r) {
        String code = r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
        HttpStatus status =
            switch (r.reason()) {
              case MALFORMED, CERTIFICATE_MALFORMED -> HttpStatus.BAD_REQUEST;
              default -> HttpStatus.UNPROCESSABLE_ENTITY;
            };
        throw new ApiException(
            status,
            code,
            "records["
                + i
                + "]"
                + r.eid().map(e -> " EID " + e).orElse("")
                + (r.keyIndex().isPresent() ? " key " + r.keyIndex().getAsInt() : "")
                + ": "
                + r.detail());
      }
      EuiccDataVerification.Accepted a = (EuiccDataVerification.Accepted) v;
      EuiccData d = a.data();
      if (!eids.add(d.eid().value())) {
        throw ApiException.conflict("duplicate-eid", "EID " + d.eid() + " appears twice");
      }
      List<EuiccRegistry.IndexedKey> indexed = new ArrayList<>();
      for (SignedOneTimePublicKey k : d.oneTimeKeys()) {
        if (!points.add(k.publicKey())) {
          throw ApiException.unprocessable(
              "duplicate-one-time-key", "a one-time key appears under two eUICCs");
        }
        indexed.add(new EuiccRegistry.IndexedKey(k.keyIndex(), k.publicKey()));
      }
      keys += indexed.size();
      chips.add(
          new EuiccRegistry.VerifiedEuicc(
              d.eid(), a.euiccKey().curve(), d.euiccCertificate(), d.eumCertificate(), indexed));
    }
    try {
      tx.executeWithoutResult(s -> registry.register(actor, chips));
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict(
          "duplicate-eid", "an EID or a one-time key of this import is already known");
    }
    return new Imported(chips.size(), keys);
  }
}
