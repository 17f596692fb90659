package org.ifpp.broker.auth;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiClientRepository extends JpaRepository<ApiClientEntity, Long> {

  Optional<ApiClientEntity> findByName(String name);
}
