package org.ifpp.broker.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ifpp.broker.batches.UploadBatchRequest.PackageUpload;
import org.ifpp.web.idempotency.Fingerprint;
import org.ifpp.web.idempotency.Fingerprinted;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static final PackageUpload P1 =
      new PackageUpload("89049032123451234512345678901235", "0A0B", null, "vzYDgAEB");
  private static final PackageUpload P2 =
      new PackageUpload("89049032123451234512345678901236", "0C0D", "line-2", "vzYDgAEC");

  private static UploadBatchRequest batch(List<PackageUpload> packages) {
    return new UploadBatchRequest("b-1", "factory-1", null, "MIIB", packages);
  }

  private static byte[] fp(Fingerprinted f) {
    return Fingerprint.of("upload-batch", f);
  }

  @Test
  void equalRequests_haveEqualFingerprints() {
    assertThat(fp(batch(List.of(P1, P2)))).isEqualTo(fp(batch(List.of(P1, P2)))).hasSize(32);
  }

  @Test
  void everyField_changesTheFingerprint() {
    byte[] base = fp(batch(List.of(P1, P2)));
    List<Fingerprinted> variants =
        List.of(
            new UploadBatchRequest("b-2", "factory-1", null, "MIIB", List.of(P1, P2)),
            new UploadBatchRequest("b-1", "factory-2", null, "MIIB", List.of(P1, P2)),
            new UploadBatchRequest("b-1", "factory-1", "line-1", "MIIB", List.of(P1, P2)),
            new UploadBatchRequest("b-1", "factory-1", null, "MIIC", List.of(P1, P2)),
            batch(List.of(P2, P1)),
            batch(List.of(P1)),
            batch(List.of()),
            batch(null),
            batch(
                List.of(
                    P1,
                    new PackageUpload(
                        P2.eid(), P2.transactionId(), null, P2.boundProfilePackage()))),
            batch(List.of(P1, new PackageUpload(P2.eid(), "0C0E", "line-2", "vzYDgAEC"))),
            batch(List.of(P1, new PackageUpload(P2.eid(), "0C0D", "line-2", "vzYDgAED"))),
            batch(List.of(P1, new PackageUpload(P2.eid(), "0C0D", "line-2", "vzYDgAEC", "04"))));
    List<byte[]> all = new ArrayList<>();
    all.add(base);
    for (Fingerprinted v : variants) {
      byte[] f = fp(v);
      assertThat(all).noneSatisfy(other -> assertThat(f).isEqualTo(other));
      all.add(f);
    }
  }

  @Test
  void fieldBoundaries_andNulls_areFramed() {
    assertThat(fp(into -> into.field("ab").field("c")))
        .isNotEqualTo(fp(into -> into.field("a").field("bc")));
    assertThat(fp(into -> into.field(null))).isNotEqualTo(fp(into -> into.field("")));
    assertThat(fp(into -> into.count(0))).isNotEqualTo(fp(into -> into.field("")));
    assertThat(Fingerprint.of("claim", into -> into.field("x")))
        .isNotEqualTo(Fingerprint.of("report", into -> into.field("x")));
  }
}
