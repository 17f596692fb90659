package org.ifpp.keymaker.requests;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.binding.BindingService;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.eligibility.EligibilityService;
import org.ifpp.keymaker.euiccs.EuiccDataService;
import org.ifpp.keymaker.orders.Order;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderService;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binding on request (ESBPP02, docs/orders.md): a line's request for the packages of some chips,
 * with their eUICC data, relayed by the broker. Each chip goes through, in order:
 *
 * <ol>
 *   <li>DPFF10: its eUICC data is verified and registered by {@link EuiccDataService#importAll},
 *       the very path of an EUM's import (a chip imported before, whose data verifies, is bound
 *       with its registered keys); a rejected record is refused {@code invalid-euicc-data};
 *   <li>DPFF09: the rules of the order's pool ({@link EligibilityService});
 *   <li>the order's admission ({@link OrderService#screen}, then {@link OrderService#admit});
 * </ol>
 *
 * and the chips left are bound under the order in one batch. The request id is recorded in the
 * planning's transaction, so a request seen again (a retry, a re-pulled page) never binds twice.
 * The answer (a transactionId per accepted chip, a code per refused one) is posted to the broker
 * once every accepted chip's package has reached it, or when {@link
 * PackageRequestProperties#answerWithin} has passed, with each chip still without a package refused
 * {@code package-not-delivered} ({@link #answerReady}).
 */
@Service
@EnableConfigurationProperties(PackageRequestProperties.class)
public class PackageRequestService {

  private final PackageRequestRepository requests;
  private final EuiccDataService euiccData;
  private final EligibilityService eligibility;
  private final OrderService orders;
  private final BindingService bindings;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final PackageRequestProperties properties;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  PackageRequestService(
      PackageRequestRepository requests,
      EuiccDataService euiccData,
      EligibilityService eligibility,
      OrderService orders,
      BindingService bindings,
      AuditLog audit,
      TransactionTemplate tx,
      PackageRequestProperties properties,
      Clock clock) {
    this.requests = requests;
    this.euiccData = euiccData;
    this.eligibility = eligibility;
    this.orders = orders;
    this.bindings = bindings;
    this.audit = audit;
    this.tx = tx;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Handles one request pulled from the broker; does nothing for a request handled before.
   *
   * @return the batch bound for it, or null when it bound nothing
   * @throws DomainException {@code invalid-package-request} or {@code invalid-order-id} when the
   *     request cannot be answered at all (its ids do not parse, it names no chips): the caller
   *     records the refusal and goes on with the next request
   */
  public UUID handle(BrokerClient.PackageRequestItem item) {
    UUID requestId = requestId(item);
    if (requests.exists(requestId)) {
      return null;
    }
    String actor = "factory:" + item.factory() + "/" + item.line();
    OrderId orderId;
    try {
      orderId = OrderId.of(item.orderId());
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER_ID, "order ids are UUIDs");
    }
    Map<String, PackageAnswer.Refused> refused = new LinkedHashMap<>();
    Order order = orders.find(orderId).orElse(null);
    List<String> candidates = new ArrayList<>();
    if (order == null || !order.factory().equals(item.factory())) {
      KeymakerError code =
          order == null ? KeymakerError.UNKNOWN_ORDER : KeymakerError.REQUEST_FROM_OTHER_FACTORY;
      item.euiccs().forEach(c -> refuse(refused, c.eid(), code, "order " + orderId));
    } else {
      candidates = verified(actor, item, refused);
      candidates = eligible(actor, order.pool(), candidates, refused);
      Map<String, KeymakerError> inOrder = orders.screen(orderId, candidates);
      inOrder.forEach((eid, code) -> refuse(refused, eid, code, "order " + orderId));
      candidates = candidates.stream().filter(e -> !inOrder.containsKey(e)).toList();
    }
    List<String> chosen = candidates;
    try {
      return tx.execute(
          s -> {
            UUID batch =
                chosen.isEmpty() ? null : bindings.planForOrder(actor, orderId, null, chosen);
            record(requestId, item, batch, refused, actor, chosen.size());
            return batch;
          });
    } catch (DuplicateKeyException handledMeanwhile) {
      return null;
    } catch (DomainException whole) {
      // The order refused the rest as a whole (a race with another admission, no key left...).
      chosen.forEach(e -> refuse(refused, e, whole.error(), whole.getMessage()));
      try {
        tx.executeWithoutResult(s -> record(requestId, item, null, refused, actor, 0));
      } catch (DuplicateKeyException handledMeanwhile) {
        // recorded by a concurrent pull
      }
      return null;
    }
  }

  private static UUID requestId(BrokerClient.PackageRequestItem item) {
    if (item.euiccs() == null || item.euiccs().isEmpty()) {
      throw new DomainException(KeymakerError.INVALID_PACKAGE_REQUEST, "a request names its chips");
    }
    try {
      return UUID.fromString(String.valueOf(item.requestId()));
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_PACKAGE_REQUEST, "request ids are UUIDs");
    }
  }

  /** DPFF10 through the import's own path; the chips whose data verified, in request order. */
  private List<String> verified(
      String actor, BrokerClient.PackageRequestItem item, Map<String, PackageAnswer.Refused> out) {
    List<EuiccDataService.Filed> filed = new ArrayList<>();
    for (BrokerClient.RequestedChip c : item.euiccs()) {
      byte[] der;
      try {
        der = Base64.getDecoder().decode(c.data() == null ? "" : c.data());
      } catch (IllegalArgumentException e) {
        der = new byte[0]; // MALFORMED for this chip only
      }
      filed.add(new EuiccDataService.Filed(c.eid(), der));
    }
    EuiccDataService.ImportResult result = euiccData.importAll(actor, filed);
    List<String> ok = new ArrayList<>();
    for (int i = 0; i < filed.size(); i++) {
      EuiccDataService.ChipResult r = result.results().get(i);
      String eid = item.euiccs().get(i).eid();
      if ("ACCEPTED".equals(r.status()) || r.verifiedAndRegisteredBefore()) {
        ok.add(Eid.of(eid).value());
      } else {
        refuse(
            out,
            eid,
            KeymakerError.INVALID_EUICC_DATA,
            r.code()
                + (r.keyIndex() == null ? "" : " (keyIndex " + r.keyIndex() + ")")
                + ": "
                + r.detail());
      }
    }
    return ok;
  }

  /** DPFF09 against the order's pool; refusals are audited with the request's record. */
  private List<String> eligible(
      String actor, String pool, List<String> eids, Map<String, PackageAnswer.Refused> out) {
    Map<Eid, EligibilityService.Refusal> refused =
        eligibility.screen(pool, eids.stream().map(Eid::of).toList());
    if (!refused.isEmpty()) {
      tx.executeWithoutResult(s -> eligibility.record(actor, pool, refused));
      refused.forEach((eid, r) -> refuse(out, eid.value(), r.code(), r.detail()));
    }
    return eids.stream().filter(e -> !refused.containsKey(Eid.of(e))).toList();
  }

  private static void refuse(
      Map<String, PackageAnswer.Refused> out,
      String eid,
      org.ifpp.web.ErrorCode code,
      String detail) {
    String text = detail == null ? "" : detail;
    out.put(
        eid,
        new PackageAnswer.Refused(
            eid, code.code(), text.length() > 500 ? text.substring(0, 500) : text));
  }

  private void record(
      UUID requestId,
      BrokerClient.PackageRequestItem item,
      UUID batch,
      Map<String, PackageAnswer.Refused> refused,
      String actor,
      int accepted) {
    List<PackageAnswer.Refused> list = List.copyOf(refused.values());
    String answer =
        batch == null ? json.writeValueAsString(new PackageAnswer(List.of(), list)) : null;
    requests.insert(
        requestId,
        UUID.fromString(item.orderId()),
        item.factory(),
        item.line(),
        batch,
        batch == null ? "READY" : "PLANNED",
        json.writeValueAsString(list),
        answer);
    audit.append(
        AuditRecord.of(
            actor,
            "PACKAGE_REQUEST_HANDLED",
            requestId.toString(),
            "order",
            item.orderId(),
            "chips",
            Integer.toString(item.euiccs().size()),
            "accepted",
            Integer.toString(accepted),
            "refused",
            Integer.toString(list.size()),
            "batch",
            batch == null ? "-" : batch.toString()));
  }

  /**
   * Completes the answers whose packages have all reached the broker, and posts every complete
   * answer not yet stored there; an answer the broker does not take now is posted again later.
   *
   * @return how many answers the broker stored
   */
  public int answerReady(BrokerClient broker) throws java.io.IOException, InterruptedException {
    int posted = 0;
    for (PackageRequestRepository.Open open : requests.open()) {
      String answer = open.answer();
      if ("PLANNED".equals(open.state())) {
        answer = complete(open);
        if (answer == null) {
          continue;
        }
        String ready = answer;
        tx.executeWithoutResult(s -> requests.ready(open.requestId(), ready));
      }
      if (broker.answerPackageRequest(open.requestId().toString(), json.readTree(answer))) {
        tx.executeWithoutResult(s -> requests.answered(open.requestId()));
        posted++;
      }
    }
    return posted;
  }

  /**
   * The full answer once no accepted chip's package is still on its way, or once the request has
   * waited {@link PackageRequestProperties#answerWithin} (each chip still without a package then
   * refused {@code package-not-delivered}, with its binding's state); else null.
   */
  private String complete(PackageRequestRepository.Open open) {
    List<PackageAnswer.Accepted> accepted = new ArrayList<>();
    List<PackageAnswer.Refused> refused =
        new ArrayList<>(List.of(json.readValue(open.refused(), PackageAnswer.Refused[].class)));
    boolean overdue = !clock.instant().isBefore(open.receivedAt().plus(properties.answerWithin()));
    for (PackageRequestRepository.Bound b : requests.bindings(open.batchId())) {
      if (b.delivered()) {
        accepted.add(
            new PackageAnswer.Accepted(
                b.eid(), HexFormat.of().withUpperCase().formatHex(b.transactionId())));
      } else if ("FAILED".equals(b.state()) || "ABANDONED".equals(b.state())) {
        refused.add(
            new PackageAnswer.Refused(
                b.eid(), KeymakerError.NO_ONE_TIME_KEY.code(), "the binding ended " + b.state()));
      } else if (overdue) {
        refused.add(
            new PackageAnswer.Refused(
                b.eid(),
                KeymakerError.PACKAGE_NOT_DELIVERED.code(),
                "no package at the broker within "
                    + properties.answerWithin()
                    + " (binding "
                    + b.state()
                    + ")"));
      } else {
        return null;
      }
    }
    return json.writeValueAsString(new PackageAnswer(accepted, refused));
  }
}
