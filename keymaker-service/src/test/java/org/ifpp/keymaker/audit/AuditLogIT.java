package org.ifpp.keymaker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
class AuditLogIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Autowired AuditLog audit;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate tx;

  @BeforeEach
  void fiveRecords() {
    jdbc.update("delete from audit_log");
    jdbc.update("update audit_head set seq = 0, hash = decode(repeat('00', 32), 'hex')");
    for (int i = 0; i < 5; i++) {
      String subject = "8900000000000000000" + i;
      tx.executeWithoutResult(
          s -> audit.append(AuditRecord.of("operator", "PROFILE_IMPORTED", subject, "n", "1")));
    }
  }

  @Test
  void untouchedChain_verifies() {
    assertThat(audit.verify()).isEqualTo(new AuditLog.Verification(true, 5, null, null));
  }

  @Test
  void modifiedRow_isDetected() {
    jdbc.update("update audit_log set subject = '89000000000000000099' where seq = 3");
    AuditLog.Verification v = audit.verify();
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(3);
    assertThat(v.problem()).isEqualTo("record modified");
  }

  @Test
  void modifiedDetails_isDetected() {
    jdbc.update("update audit_log set details = '1:n;1:2;' where seq = 2");
    assertThat(audit.verify().firstBadSeq()).isEqualTo(2);
  }

  @Test
  void deletedRow_isDetected() {
    jdbc.update("delete from audit_log where seq = 2");
    AuditLog.Verification v = audit.verify();
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(2);
    assertThat(v.problem()).isEqualTo("missing record");
  }

  @Test
  void deletedLastRow_isDetected() {
    jdbc.update("delete from audit_log where seq = 5");
    assertThat(audit.verify().problem()).isEqualTo("records missing at the end");
  }

  @Test
  void appendOutsideATransaction_isRefused() {
    assertThatThrownBy(() -> audit.append(AuditRecord.of("x", "Y", "z")))
        .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
  }
}
