package org.ifpp.broker.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** One bearer credential of a client, stored as the token's SHA-256 only. */
@Entity
@Table(name = "api_credential")
class ApiCredentialEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "client_id", nullable = false)
  ApiClientEntity client;

  @Column(name = "token_sha256", nullable = false, unique = true)
  byte[] tokenSha256;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "revoked_at")
  Instant revokedAt;
}
