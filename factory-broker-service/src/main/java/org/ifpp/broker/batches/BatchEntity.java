package org.ifpp.broker.batches;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A batch as stored; its packages are written with JDBC batches for upload speed. */
@Entity
@Table(name = "batch")
class BatchEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "external_id", nullable = false, unique = true, length = 64)
  String externalId;

  @Column(name = "target_factory", nullable = false, length = 64)
  String targetFactory;

  @Column(name = "binding_certificate", nullable = false)
  byte[] bindingCertificate;

  @Column(name = "package_count", nullable = false)
  int packageCount;

  @Column(name = "uploaded_by", nullable = false, length = 64)
  String uploadedBy;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "purged_at")
  Instant purgedAt;
}
