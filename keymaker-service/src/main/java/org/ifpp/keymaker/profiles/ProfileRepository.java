package org.ifpp.keymaker.profiles;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Stored profiles (status only leaves the service, never content). */
public interface ProfileRepository extends JpaRepository<ProfileEntity, Long> {

  Optional<ProfileEntity> findByIccid(String iccid);

  boolean existsByIccid(String iccid);

  List<ProfileEntity> findByIccidIn(List<String> iccids);

  List<ProfileEntity> findByPoolOrderById(String pool, Pageable page);

  List<ProfileEntity> findByPoolAndStateOrderById(String pool, ProfileState state, Pageable page);
}
