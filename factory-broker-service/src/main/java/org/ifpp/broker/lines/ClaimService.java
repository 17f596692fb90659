package org.ifpp.broker.lines;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.lines.PackageRepository.Claimed;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The hot path of the factory floor: claim, download, release. Each state change is one conditional
 * statement in autocommit ({@link PackageRepository}), so two lines can never both hold a package:
 * a concurrent claimant skips the locked row and is told 409 at once instead of queueing.
 */
@Service
public class ClaimService {

  private static final Logger log = LoggerFactory.getLogger(ClaimService.class);
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final PackageRepository packages;
  private final BatchIds batchIds;
  private final Clock clock;
  private final BrokerProperties properties;
  private final BrokerMetrics metrics;

  ClaimService(
      PackageRepository packages,
      BatchIds batchIds,
      Clock clock,
      BrokerProperties properties,
      BrokerMetrics metrics) {
    this.packages = packages;
    this.batchIds = batchIds;
    this.clock = clock;
    this.properties = properties;
    this.metrics = metrics;
  }

  /**
   * A claim with the package bytes.
   *
   * @param claim the claim
   * @param boundProfilePackage the package, exactly as uploaded
   */
  public record ClaimedPackage(ClaimResponse claim, byte[] boundProfilePackage) {}

  /**
   * Claims the package for {@code eid} for this line.
   *
   * @throws DomainException 404 {@code package-not-found}; 409 {@code package-claimed}, {@code
   *     package-reported} or {@code package-purged}
   */
  public ClaimResponse claim(Claimant c, Eid eid) {
    return claim(c, eid, false).claim();
  }

  /** Claims and returns the bytes in one statement: what most lines need, in one round trip. */
  public ClaimedPackage claimWithPackage(Claimant c, Eid eid) {
    ClaimedPackage claimed = claim(c, eid, true);
    metrics.downloaded();
    return claimed;
  }

  private ClaimedPackage claim(Claimant c, Eid eid, boolean withPackage) {
    long start = System.nanoTime();
    try {
      Instant now = clock.instant();
      Instant leaseUntil = now.plus(properties.lease());
      // OffsetDateTime binds as timestamptz without the driver's per-call Calendar (Timestamp).
      OffsetDateTime ts = utc(now);
      List<Claimed> rows = claimRows(c, eid, withPackage, ts, leaseUntil);
      Claimed r = rows.isEmpty() ? notTaken(c, eid, withPackage, ts, leaseUntil) : rows.get(0);
      return claimed(c, eid, r, leaseUntil);
    } finally {
      metrics.claimLatency(System.nanoTime() - start);
    }
  }

  /**
   * After the claim statement took nothing for {@code eid}: the second attempt or the refusal.
   *
   * @throws DomainException the single claim's refusal
   */
  private Claimed notTaken(
      Claimant c, Eid eid, boolean withPackage, OffsetDateTime ts, Instant leaseUntil) {
    List<String> states = visibleStates(c, eid);
    List<Claimed> rows = List.of();
    if (states.contains("AVAILABLE") && !states.contains("CLAIMED")) {
      // The statement's snapshot can predate the commit of the package's upload (a line that
      // reaches the chip while the Key Maker's delivery commits), or another line's claim
      // holds the row's lock and is about to commit. One more attempt tells the two apart.
      rows = claimRows(c, eid, withPackage, ts, leaseUntil);
      states = rows.isEmpty() ? visibleStates(c, eid) : states;
    }
    if (rows.isEmpty()) {
      throw claimRefusal(states);
    }
    return rows.get(0);
  }

  private ClaimedPackage claimed(Claimant c, Eid eid, Claimed r, Instant leaseUntil) {
    boolean retry = "CLAIMED".equals(r.prevState()) && c.line().equals(r.prevLine());
    if ("CLAIMED".equals(r.prevState()) && !retry) {
      metrics.leaseExpiredAtClaim();
      log.info("lease expired, package taken over line={} previousLine={}", c.line(), r.prevLine());
    }
    metrics.claimed(retry);
    String tx = r.transactionId().toHex();
    return new ClaimedPackage(
        new ClaimResponse(
            tx,
            eid.value(),
            batchIds.externalId(r.batchKey()),
            leaseUntil,
            "/api/v1/packages/" + tx,
            "/api/v1/packages/" + tx + "/binding-certificate",
            r.claimCount(),
            r.bppEuiccOtpk() == null ? null : HEX.formatHex(r.bppEuiccOtpk())),
        r.bpp());
  }

  /**
   * One EID's answer in a batch of claims: the claimed package, or the single claim's refusal.
   *
   * @param eid the EID
   * @param claimed the claim and its package (null when refused)
   * @param refusal what the single claim would have answered (null when claimed)
   */
  public record BatchAnswer(Eid eid, ClaimedPackage claimed, DomainException refusal) {}

  /**
   * Claims and downloads the packages of several chips: one statement takes every EID it can (one
   * transaction, rows locked in EID order so that concurrent batches cannot deadlock), then each
   * EID it did not take gets exactly the single claim's second attempt or refusal ({@link
   * #claimWithPackage}).
   *
   * @param eids distinct EIDs
   * @return the answers, in the order of {@code eids}
   */
  public List<BatchAnswer> claimAllWithPackage(Claimant c, List<Eid> eids) {
    if (eids.isEmpty()) {
      return List.of();
    }
    long start = System.nanoTime();
    try {
      Instant now = clock.instant();
      Instant leaseUntil = now.plus(properties.lease());
      OffsetDateTime ts = utc(now);
      String[] sorted = eids.stream().map(Eid::value).sorted().toArray(String[]::new);
      Map<String, Claimed> taken = packages.claimAll(c, sorted, ts, utc(leaseUntil));
      List<BatchAnswer> answers = new ArrayList<>(eids.size());
      for (Eid eid : eids) {
        Claimed r = taken.get(eid.value());
        try {
          if (r == null) {
            r = notTaken(c, eid, true, ts, leaseUntil);
          }
          answers.add(new BatchAnswer(eid, claimed(c, eid, r, leaseUntil), null));
          metrics.downloaded();
        } catch (DomainException e) {
          answers.add(new BatchAnswer(eid, null, e));
        }
      }
      return answers;
    } finally {
      metrics.claimLatency(System.nanoTime() - start);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private List<Claimed> claimRows(
      Claimant c, Eid eid, boolean withPackage, OffsetDateTime ts, Instant leaseUntil) {
    return packages.claim(c, eid, withPackage, ts, utc(leaseUntil));
  }

  private List<String> visibleStates(Claimant c, Eid eid) {
    return packages.visibleStates(c, eid);
  }

  private DomainException claimRefusal(List<String> states) {
    if (states.isEmpty()) {
      metrics.claimNotFound();
      return new DomainException(BrokerError.PACKAGE_NOT_FOUND, "no package for this EID and line");
    }
    metrics.claimConflict();
    if (states.contains("CLAIMED") || states.contains("AVAILABLE")) {
      // AVAILABLE here, after a second attempt, means another line's claim holds its lock.
      return new DomainException(BrokerError.PACKAGE_CLAIMED, "another line holds this package");
    }
    if (states.contains("REPORTED")) {
      return new DomainException(BrokerError.PACKAGE_REPORTED, "a result was already reported");
    }
    return new DomainException(BrokerError.PACKAGE_PURGED, "the package was purged");
  }

  /**
   * The package bytes, exactly as uploaded, for the line holding a live claim.
   *
   * @throws DomainException 404 or 409 {@code lease-expired}/{@code not-claim-holder}/...
   */
  public byte[] download(Claimant c, TransactionId tx) {
    Instant now = clock.instant();
    byte[] bpp =
        packages
            .download(c, tx, utc(now))
            .orElseThrow(() -> PackageLookup.refusal(packages.byTransactionId(c, tx), c, now));
    metrics.downloaded();
    return bpp;
  }

  /** The Key Maker's binding certificate (DER) of the package's batch. */
  public byte[] bindingCertificate(Claimant c, TransactionId tx) {
    return packages.bindingCertificate(c, tx).orElseThrow(PackageLookup::notFound);
  }

  /**
   * Gives a claim back: use it only when the package never reached the chip. Repeating it is
   * harmless.
   */
  public ReleaseResponse release(Claimant c, TransactionId tx) {
    Instant now = clock.instant();
    int n = packages.release(c, tx, utc(now));
    if (n == 0) {
      var found = packages.byTransactionId(c, tx);
      boolean alreadyReleased =
          found.isPresent()
              && "AVAILABLE".equals(found.get().state())
              && c.line().equals(found.get().claimedLine());
      if (!alreadyReleased) {
        throw PackageLookup.refusal(found, c, now);
      }
    } else {
      log.info("claim released line={} transactionId={}", c.line(), tx.toHex());
    }
    return new ReleaseResponse(tx.toHex(), "AVAILABLE");
  }
}
