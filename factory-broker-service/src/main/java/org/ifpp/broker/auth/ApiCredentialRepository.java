package org.ifpp.broker.auth;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiCredentialRepository extends JpaRepository<ApiCredentialEntity, Long> {

  Optional<ApiCredentialEntity> findByTokenSha256(byte[] tokenSha256);

  @Modifying
  @Query(
      "update ApiCredentialEntity c set c.revokedAt = :now"
          + " where c.client = :client and c.revokedAt is null")
  int revokeAll(ApiClientEntity client, Instant now);
}
