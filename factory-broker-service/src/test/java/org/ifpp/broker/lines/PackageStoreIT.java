package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.DataIntegrityViolationException;

/** The claim's answer and the package table's guards after migration V2 (claim cost). */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class PackageStoreIT extends BrokerItSupport {

  @Test
  void eachClaim_namesItsOwnPackagesBatch_fromTheCachedBatchIds() {
    String factory = unique("F");
    String line = createLine(factory, "L1");
    List<Pkg> first = packages(2, 300);
    List<Pkg> second = packages(1, 300);
    String b1 = unique("B");
    String b2 = unique("B");
    assertThat(upload(b1, factory, first).status()).isEqualTo(201);
    assertThat(upload(b2, factory, second).status()).isEqualTo(201);

    assertThat(claim(line, first.get(0).eid()).json().get("batchId").asString()).isEqualTo(b1);
    assertThat(claim(line, second.get(0).eid()).json().get("batchId").asString()).isEqualTo(b2);
    assertThat(claim(line, first.get(1).eid()).json().get("batchId").asString()).isEqualTo(b1);
  }

  @Test
  void theDatabase_refusesAnUnknownState_andAClaimWithoutLineOrLease() {
    String factory = unique("F");
    Pkg p = packages(1, 300).get(0);
    assertThat(upload(unique("B"), factory, List.of(p)).status()).isEqualTo(201);
    byte[] tx = p.tx().toBytes();

    assertThatThrownBy(
            () -> jdbc.update("UPDATE package SET state = 'LOST' WHERE transaction_id = ?", tx))
        .isInstanceOf(DataIntegrityViolationException.class)
        .hasMessageContaining("package_state_values");
    assertThatThrownBy(
            () ->
                jdbc.update(
                    "UPDATE package SET state = 'CLAIMED', claimed_line = 'L1'"
                        + " WHERE transaction_id = ?",
                    tx))
        .isInstanceOf(DataIntegrityViolationException.class)
        .hasMessageContaining("package_claim_check");
    assertThat(
            jdbc.queryForObject(
                "SELECT state FROM package WHERE transaction_id = ?", String.class, tx))
        .isEqualTo("AVAILABLE");
  }
}
