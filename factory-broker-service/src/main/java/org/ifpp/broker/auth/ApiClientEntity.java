package org.ifpp.broker.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A client of the broker (the Key Maker, a line, an operator). */
@Entity
@Table(name = "api_client")
class ApiClientEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false, unique = true, length = 64)
  String name;

  @Column(nullable = false, length = 512)
  String scopes;

  @Column(length = 64)
  String factory;

  @Column(length = 64)
  String line;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "disabled_at")
  Instant disabledAt;

  ApiClient toClient() {
    return new ApiClient(name, Scope.parseList(scopes), factory, line);
  }
}
