package org.ifpp.broker.batches;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface BatchRepository extends JpaRepository<BatchEntity, Long> {

  Optional<BatchEntity> findByExternalId(String externalId);

  boolean existsByExternalId(String externalId);
}
