package org.ifpp.keymaker.eligibility;

import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ids.Eid;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Per pool eligibility rules, and what the rules read of the registered chips. */
@Repository
class EligibilityRepository {

  /** What the rules read of one registered chip. */
  record ChipFacts(Eid eid, byte[] eumCertificate, byte[] euiccInfo2) {}

  private final JdbcClient jdbc;

  EligibilityRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> rules(String pool) {
    return jdbc.sql("select rules::text from pool_eligibility where pool = ?")
        .param(pool)
        .query(String.class)
        .optional();
  }

  void save(String pool, String json) {
    jdbc.sql(
            "insert into pool_eligibility (pool, rules) values (?, ?::jsonb) on conflict (pool)"
                + " do update set rules = excluded.rules, updated_at = now()")
        .param(pool)
        .param(json)
        .update();
  }

  /** The registered chips among {@code eids} (unknown ones are absent). */
  List<ChipFacts> chips(String[] eids) {
    return jdbc.sql("select eid, eum_certificate, euicc_info2 from euiccs where eid = any (?)")
        .param(eids)
        .query((rs, i) -> new ChipFacts(Eid.of(rs.getString(1)), rs.getBytes(2), rs.getBytes(3)))
        .list();
  }

  /** The pool of each stored profile among these ICCIDs. */
  List<String[]> pools(String[] iccids) {
    return jdbc.sql("select iccid, pool from profiles where iccid = any (?)")
        .param(iccids)
        .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)})
        .list();
  }
}
