package org.ifpp.keymaker.euiccs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataVerification;
import org.ifpp.crypto.euiccdata.EuiccDataVerifier;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.dao.DuplicateKeyException;
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

  /** One chip as filed in a request: the EID it is filed under (may be null) and its DER. */
  public record Filed(String eid, byte[] der) {}

  /**
   * The outcome for one chip (docs/euicc-data-format.md section 4).
   *
   * @param status ACCEPTED or REJECTED
   * @param code the {@code EuiccDataRejection} name when rejected
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record ChipResult(
      String eid,
      String status,
      Integer oneTimeKeys,
      String code,
      Integer keyIndex,
      String detail) {
    static ChipResult accepted(String eid, int keys) {
      return new ChipResult(eid, "ACCEPTED", keys, null, null, null);
    }

    static ChipResult rejected(String eid, String code, Integer keyIndex, String detail) {
      return new ChipResult(eid, "REJECTED", null, code, keyIndex, detail);
    }
  }

  /** The answer to an import. */
  public record ImportResult(int accepted, int rejected, List<ChipResult> results) {}

  /**
   * Verifies every chip (DPFF10) and stores the accepted ones as binding targets; each chip is
   * accepted or rejected on its own, with the rejection's code. Bad input is a per-chip rejection,
   * never a 500.
   */
  public ImportResult importAll(String actor, List<Filed> chips) {
    if (chips.isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_IMPORT, "at least one eUICC data record");
    }
    List<ChipResult> results = new ArrayList<>(chips.size());
    Set<String> eids = new HashSet<>();
    Set<org.ifpp.crypto.ec.EcPublicKey> points = new HashSet<>();
    int accepted = 0;
    for (Filed f : chips) {
      ChipResult r = importOne(actor, f, eids, points);
      if ("ACCEPTED".equals(r.status())) {
        accepted++;
      }
      results.add(r);
    }
    return new ImportResult(accepted, chips.size() - accepted, results);
  }

  private ChipResult importOne(
      String actor, Filed f, Set<String> eids, Set<org.ifpp.crypto.ec.EcPublicKey> points) {
    EuiccDataVerification v;
    if (f.eid() != null) {
      org.ifpp.crypto.ids.Eid filed;
      try {
        filed = org.ifpp.crypto.ids.Eid.of(f.eid());
      } catch (IllegalArgumentException e) {
        return ChipResult.rejected(f.eid(), "EID_MISMATCH", null, "the filed EID is not valid");
      }
      v = verifier.verify(filed, f.der());
    } else {
      v = verifier.verify(f.der());
    }
    if (v instanceof EuiccDataVerification.Rejected r) {
      return ChipResult.rejected(
          r.eid().map(Object::toString).orElse(null),
          r.reason().name(),
          r.keyIndex().isPresent() ? r.keyIndex().getAsInt() : null,
          r.detail());
    }
    EuiccDataVerification.Accepted a = (EuiccDataVerification.Accepted) v;
    EuiccData d = a.data();
    String eid = d.eid().value();
    if (eids.contains(eid)) {
      return ChipResult.rejected(eid, "DUPLICATE_EID", null, "EID repeats in the request");
    }
    List<EuiccRegistry.IndexedKey> indexed = new ArrayList<>();
    for (SignedOneTimePublicKey k : d.oneTimeKeys()) {
      if (points.contains(k.publicKey())) {
        return ChipResult.rejected(
            eid, "DUPLICATE_ONE_TIME_KEY", k.keyIndex(), "one-time key of an earlier chip");
      }
      indexed.add(new EuiccRegistry.IndexedKey(k.keyIndex(), k.publicKey()));
    }
    EuiccRegistry.VerifiedEuicc chip =
        new EuiccRegistry.VerifiedEuicc(
            d.eid(), a.euiccKey().curve(), d.euiccCertificate(), d.eumCertificate(), indexed);
    try {
      tx.executeWithoutResult(s -> registry.register(actor, List.of(chip)));
    } catch (DuplicateKeyException e) {
      boolean known = registry.find(d.eid()).isPresent();
      return ChipResult.rejected(
          eid,
          known ? "DUPLICATE_EID" : "DUPLICATE_ONE_TIME_KEY",
          null,
          known ? "this EID was imported before" : "a one-time key was imported before");
    }
    eids.add(eid);
    indexed.forEach(k -> points.add(k.key()));
    return ChipResult.accepted(eid, indexed.size());
  }
}
