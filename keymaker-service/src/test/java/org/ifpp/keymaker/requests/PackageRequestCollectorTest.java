package org.ifpp.keymaker.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.binding.BindingRunner;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeedTest;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A request the broker relays that cannot be answered stops neither its page nor the feed. */
class PackageRequestCollectorTest {

  private final BrokerClient broker = mock(BrokerClient.class);
  private final PackageRequestService service = mock(PackageRequestService.class);
  private final PackageRequestRepository repository = mock(PackageRequestRepository.class);
  private final BindingRunner runner = mock(BindingRunner.class);
  private final AuditLog audit = mock(AuditLog.class);

  private PackageRequestCollector collector() {
    return new PackageRequestCollector(
        broker,
        BrokerFeedTest.properties(Duration.ofHours(1)),
        service,
        repository,
        runner,
        audit,
        new TransactionTemplate(mock(PlatformTransactionManager.class)));
  }

  /** The broker's first page holds these requests, its next cursor is {@code c2}. */
  private void page(BrokerClient.PackageRequestItem... items) throws Exception {
    when(repository.cursor()).thenReturn(Optional.empty());
    when(repository.open()).thenReturn(List.of());
    when(broker.packageRequests(null, 10))
        .thenReturn(new BrokerClient.PackageRequestPage(List.of(items), "c2", false));
  }

  /** A well-formed request of line L1 for no chips, with fresh ids. */
  private static BrokerClient.PackageRequestItem request() {
    return new BrokerClient.PackageRequestItem(
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), "factory-1", "L1", List.of());
  }

  @Test
  void aRequestWithUnreadableIds_isRefusedAndAudited_andTheNextOneIsHandled() throws Exception {
    BrokerClient.PackageRequestItem bad =
        new BrokerClient.PackageRequestItem(
            "not-a-uuid",
            "order",
            "factory-1",
            "L7",
            List.of(new BrokerClient.RequestedChip("1", "")));
    BrokerClient.PackageRequestItem good = request();
    page(bad, good);
    when(service.handle(bad))
        .thenThrow(
            new DomainException(KeymakerError.INVALID_PACKAGE_REQUEST, "request ids are UUIDs"));
    when(service.handle(good)).thenReturn(UUID.randomUUID());

    assertThat(collector().pullOnce()).isFalse();

    ArgumentCaptor<AuditRecord> record = ArgumentCaptor.forClass(AuditRecord.class);
    verify(audit).append(record.capture());
    assertThat(record.getValue().action()).isEqualTo("PACKAGE_REQUEST_REFUSED");
    assertThat(record.getValue().subject()).isEqualTo("not-a-uuid");
    assertThat(record.getValue().details())
        .containsEntry("code", "invalid-package-request")
        .containsEntry("line", "L7");
    verify(runner).wakeUp(); // the good request was bound
    verify(repository).saveCursor("c2"); // and the cursor moved past both
  }

  @Test
  void aDatabaseOutage_isNoRefusal_thePageIsPulledAgainLater() throws Exception {
    BrokerClient.PackageRequestItem item = request();
    page(item);
    when(service.handle(item))
        .thenThrow(new org.springframework.dao.DataAccessResourceFailureException("down"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> collector().pullOnce())
        .isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);

    verify(audit, never()).append(any());
    verify(repository, never()).saveCursor(any());
  }
}
