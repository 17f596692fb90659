package org.ifpp.keymaker.reports;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.orders.Order;
import org.ifpp.keymaker.orders.OrderDevice;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderRepository;
import org.ifpp.keymaker.orders.OrderState;
import org.ifpp.keymaker.results.ResultService;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Receives an order's loading report (ESBPP03) and reconciles it against the bindings. The report
 * must account for every device of the order and name no other; it is refused whole otherwise
 * (nothing stored). Signed entries go through the same checks as any result ({@link ResultService}:
 * the chip's signature, the binding's transactionId); what the check found is recorded beside what
 * the factory claimed. Unsigned entries (no result, with the line's reason) are recorded as the
 * factory's claims and change no binding: the package stays bound to its chip, which may still
 * install it (docs/rules.md section 8).
 */
@Service
public class LoadingReportService {

  private static final int RESULT_PAGE = 1000;

  /** The check of a signed entry naming a transaction that is no binding of the report's order. */
  static final String NOT_IN_ORDER = "transaction-not-in-order";

  private final OrderRepository orders;
  private final LoadingReportRepository reports;
  private final ResultService results;
  private final AuditLog audit;

  LoadingReportService(
      OrderRepository orders,
      LoadingReportRepository reports,
      ResultService results,
      AuditLog audit) {
    this.orders = orders;
    this.reports = reports;
    this.results = results;
    this.audit = audit;
  }

  /** What a report did: its id and its entries counted by what the Key Maker made of them. */
  public record Receipt(UUID reportId, String orderId, int devices, Map<String, Long> entries) {}

  @Transactional
  public Receipt receive(String actor, LoadingReport report) {
    return receive(actor, null, report);
  }

  /**
   * The same, for a report pulled from the broker: {@code factory} is the factory whose line
   * submitted it, which must be the order's ({@code report-from-other-factory} otherwise).
   */
  @Transactional
  public Receipt receive(String actor, String factory, LoadingReport report) {
    if (report == null || !LoadingReport.FORMAT.equals(report.format())) {
      throw new DomainException(
          KeymakerError.UNSUPPORTED_FORMAT, "format must be " + LoadingReport.FORMAT);
    }
    OrderId orderId;
    try {
      orderId = OrderId.of(report.orderId());
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER_ID, "order ids are UUIDs");
    }
    Order order =
        orders
            .find(orderId)
            .orElseThrow(
                () -> new DomainException(KeymakerError.UNKNOWN_ORDER, "no order " + orderId));
    if (factory != null && !factory.equals(order.factory())) {
      throw new DomainException(
          KeymakerError.REPORT_FROM_OTHER_FACTORY,
          "order " + orderId + " is for factory " + order.factory() + ", not " + factory);
    }
    List<LoadingReport.Entry> entries = report.devices() == null ? List.of() : report.devices();
    Set<String> expected = new HashSet<>();
    for (OrderDevice d : orders.allDevices(orderId)) {
      expected.add(d.eid());
    }
    // A chip may have been bound under another order before (after a signed failure there, or
    // once that order closed): only this order's bindings' results are taken, so a result of the
    // earlier order, journalled by a line, neither counts here nor changes any binding.
    Set<String> own = orders.bindingsOf(orderId);
    List<LoadingReportRepository.StoredEntry> stored = new ArrayList<>(entries.size());
    List<ResultService.Reported> signed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (LoadingReport.Entry e : entries) {
      Eid eid = eid(e);
      if (!seen.add(eid.value())) {
        throw new DomainException(KeymakerError.DUPLICATE_IN_BATCH, "EID " + eid + " twice");
      }
      if (!expected.contains(eid.value())) {
        throw new DomainException(
            KeymakerError.EID_NOT_IN_ORDER, "EID " + eid + " is not a device of order " + orderId);
      }
      stored.add(check(e, eid, own, signed));
    }
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(seen);
    if (!missing.isEmpty()) {
      throw new DomainException(
          KeymakerError.LOADING_REPORT_INCOMPLETE,
          missing.size()
              + " devices of order "
              + orderId
              + " are not accounted for, e.g. "
              + missing.stream().sorted().limit(5).toList());
    }
    Map<String, ResultService.ItemOutcome> checked = new HashMap<>();
    for (int from = 0; from < signed.size(); from += RESULT_PAGE) {
      List<ResultService.Reported> page =
          signed.subList(from, Math.min(signed.size(), from + RESULT_PAGE));
      for (ResultService.ItemOutcome o : results.process(actor, page)) {
        checked.put(o.transactionId().toUpperCase(), o);
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    List<LoadingReportRepository.StoredEntry> finished = new ArrayList<>(stored.size());
    for (LoadingReportRepository.StoredEntry s : stored) {
      String verification = s.verification();
      String code = s.code();
      if (s.transactionId() != null && verification == null) {
        ResultService.ItemOutcome o = checked.get(TransactionId.of(s.transactionId()).toHex());
        verification = o == null ? "REJECTED" : o.outcome();
        code = o == null ? "unknown-transaction" : o.code();
      }
      counts.merge(verification == null ? "CLAIM_" + s.reason() : verification, 1L, Long::sum);
      finished.add(
          new LoadingReportRepository.StoredEntry(
              s.eid(), s.claimedOutcome(), s.reason(), s.transactionId(), verification, code));
    }
    UUID id = UUID.randomUUID();
    reports.insert(id, orderId, actor, finished.size());
    reports.insertEntries(id, finished);
    if (order.state() != OrderState.REPORTED) {
      orders.setState(orderId, OrderState.REPORTED);
    }
    audit.append(
        AuditRecord.of(
            actor,
            "LOADING_REPORT",
            orderId.toString(),
            "report",
            id.toString(),
            "entries",
            counts.toString()));
    return new Receipt(id, orderId.toString(), finished.size(), counts);
  }

  private static Eid eid(LoadingReport.Entry e) {
    try {
      return Eid.of(e.eid());
    } catch (IllegalArgumentException | NullPointerException ex) {
      throw new DomainException(KeymakerError.INVALID_EID, "invalid EID " + e.eid());
    }
  }

  /**
   * Checks an entry's shape; a signed one for a binding of the order ({@code own}) is queued for
   * verification, one for any other transaction is rejected {@value #NOT_IN_ORDER} unchecked.
   */
  private static LoadingReportRepository.StoredEntry check(
      LoadingReport.Entry e, Eid eid, Set<String> own, List<ResultService.Reported> signed) {
    String outcome = e.outcome() == null ? "" : e.outcome();
    switch (outcome) {
      case "INSTALLED", "FAILED" -> {
        if (e.reason() != null || e.profileInstallationResult() == null) {
          throw invalid(eid, outcome + " carries the chip's signed result and no reason");
        }
        TransactionId tx;
        byte[] pir;
        try {
          tx = TransactionId.fromHex(e.transactionId());
          pir = Base64.getDecoder().decode(e.profileInstallationResult());
        } catch (IllegalArgumentException ex) {
          throw invalid(eid, "transactionId is hex, profileInstallationResult base64");
        }
        if (!own.contains(eid.value() + "/" + tx.toHex())) {
          return new LoadingReportRepository.StoredEntry(
              eid.value(), outcome, null, tx.toBytes(), "REJECTED", NOT_IN_ORDER);
        }
        signed.add(new ResultService.Claim(tx, eid, pir));
        return new LoadingReportRepository.StoredEntry(
            eid.value(), outcome, null, tx.toBytes(), null, null);
      }
      case "NO_RESULT" -> {
        if (e.profileInstallationResult() != null || e.reason() == null) {
          throw invalid(eid, "NO_RESULT carries the line's reason and no result");
        }
        try {
          NoResultReason reason = NoResultReason.valueOf(e.reason());
          return new LoadingReportRepository.StoredEntry(
              eid.value(), outcome, reason.name(), null, null, null);
        } catch (IllegalArgumentException ex) {
          throw invalid(eid, "reason is one of UNREACHABLE, DAMAGED, REMOVED, NOT_ATTEMPTED");
        }
      }
      default -> throw invalid(eid, "outcome is INSTALLED, FAILED or NO_RESULT");
    }
  }

  private static DomainException invalid(Eid eid, String detail) {
    return new DomainException(KeymakerError.INVALID_LOADING_REPORT, "EID " + eid + ": " + detail);
  }
}
