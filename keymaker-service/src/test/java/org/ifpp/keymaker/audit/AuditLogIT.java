package org.ifpp.keymaker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
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

  @Autowired org.ifpp.keymaker.profiles.ProfileImportService importer;

  @Test
  void whenTheAuditRecordCannotBeWritten_theAuditedChangeFailsToo() {
    jdbc.execute(
        "create or replace function audit_refuse() returns trigger as $$ begin raise exception"
            + " 'audit store unavailable'; end $$ language plpgsql");
    jdbc.execute(
        "create trigger audit_refuse before insert on audit_log for each row execute function"
            + " audit_refuse()");
    try {
      byte[] der = org.ifpp.keymaker.testing.TestProfiles.load("TS48V1-A-UNIQUE.der");
      assertThatThrownBy(
              () ->
                  importer.importAll(
                      "operator", "failclosed", new java.util.ArrayList<>(java.util.List.of(der))))
          .isInstanceOf(org.springframework.dao.DataAccessException.class);
      assertThat(jdbc.queryForObject("select count(*) from profiles", Long.class)).isZero();
    } finally {
      jdbc.execute("drop trigger audit_refuse on audit_log");
    }
    assertThat(audit.verify().intact()).isTrue();
  }

  @Test
  void appendOutsideATransaction_isRefused() {
    assertThatThrownBy(() -> audit.append(AuditRecord.of("x", "Y", "z")))
        .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
  }
}
