package org.ifpp.broker.finalisation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.broker.web.ExportCursor;
import org.ifpp.crypto.finalisation.MalformedFinalisationException;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Carries the chips' finalisation receipts from the device maker's line step to the Key Maker
 * (docs/finalisation.md). The broker is a courier here too: it checks only the structure (a BF7B
 * naming the EID it was filed under), keeps each receipt once, and hands them out after a cursor;
 * the Key Maker verifies the chips' signatures.
 */
@Service
public class FinalisationReceiptService {

  static final int MAX_RECEIPTS = 10_000;

  private final FinalisationReceiptRepository receipts;
  private final BrokerProperties properties;

  FinalisationReceiptService(FinalisationReceiptRepository receipts, BrokerProperties properties) {
    this.receipts = receipts;
    this.properties = properties;
  }

  /** One filed receipt. */
  public record Filed(String eid, String receipt) {}

  /** Per receipt: KEPT, DUPLICATE, or REJECTED with a code ({@code malformed-receipt}, ...). */
  public record Outcome(String eid, String outcome, String code) {}

  @Transactional
  public List<Outcome> report(String line, List<Filed> filed) {
    if (filed == null || filed.isEmpty()) {
      throw new DomainException(BrokerError.NO_RESULTS, "receipts: at least one");
    }
    if (filed.size() > MAX_RECEIPTS) {
      throw new DomainException(
          BrokerError.TOO_MANY_RESULTS, "at most " + MAX_RECEIPTS + " receipts per call");
    }
    List<Outcome> out = new ArrayList<>();
    for (Filed f : filed) {
      out.add(one(line, f));
    }
    return out;
  }

  private Outcome one(String line, Filed f) {
    String eid = f == null ? null : f.eid();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(f == null || f.receipt() == null ? "" : f.receipt());
    } catch (IllegalArgumentException e) {
      return new Outcome(eid, "REJECTED", BrokerError.MALFORMED_BASE64.code());
    }
    SignedFinalisationReceipt parsed;
    try {
      parsed = SignedFinalisationReceipt.parse(bytes);
    } catch (MalformedFinalisationException e) {
      return new Outcome(eid, "REJECTED", BrokerError.MALFORMED_RECEIPT.code());
    }
    String named = parsed.receipt().eid().value();
    if (eid != null && !eid.equals(named)) {
      return new Outcome(eid, "REJECTED", BrokerError.EID_MISMATCH.code());
    }
    return new Outcome(named, receipts.insert(named, bytes, line) ? "KEPT" : "DUPLICATE", null);
  }

  /** A page of the Key Maker's feed. */
  public record Page(
      List<FinalisationReceiptRepository.Row> receipts, String nextCursor, boolean hasMore) {}

  public Page export(String after, int limit) {
    ExportCursor.checkLimit(limit, properties.maxExportPage());
    ExportCursor from = ExportCursor.after(after);
    List<FinalisationReceiptRepository.Row> rows =
        receipts.after(from.xid(), from.position(), limit);
    String next =
        from.next(
            rows, FinalisationReceiptRepository.Row::xid, FinalisationReceiptRepository.Row::seq);
    return new Page(rows, next, rows.size() == limit);
  }
}
