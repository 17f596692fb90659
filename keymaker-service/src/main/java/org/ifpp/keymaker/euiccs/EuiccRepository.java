package org.ifpp.keymaker.euiccs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The registered eUICCs (one row per chip; its one-time keys are in {@link OneTimeKeyRepository}).
 */
@Repository
public class EuiccRepository {

  private final JdbcClient jdbc;

  public EuiccRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A chip's id and the curve of its one-time keys. */
  public record IdAndCurve(long id, Eid eid, String curve) {}

  /** The EIDs among {@code eids} that are registered. */
  Set<String> existing(String[] eids) {
    return new HashSet<>(
        jdbc.sql("select eid from euiccs where eid = any (?)")
            .param(eids)
            .query(String.class)
            .list());
  }

  /**
   * Inserts chips in one statement (arrays of equal length, one element per chip); returns each new
   * row's id by EID.
   */
  Map<String, Long> insertAll(
      String[] eids,
      String[] curves,
      byte[][] euiccCertificates,
      byte[][] eumCertificates,
      byte[][] euiccInfo2) {
    Map<String, Long> ids = new HashMap<>();
    jdbc.sql(
            "insert into euiccs (eid, curve, euicc_certificate, eum_certificate, euicc_info2)"
                + " select * from unnest(?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[],"
                + " ?::bytea[])"
                + " returning id, eid")
        .param(eids)
        .param(curves)
        .param(euiccCertificates)
        .param(eumCertificates)
        .param(euiccInfo2)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> ids.put(rs.getString("eid"), rs.getLong("id")));
    return ids;
  }

  Optional<EuiccRegistry.Euicc> find(Eid eid) {
    return jdbc.sql("select id, eid, curve, euicc_certificate from euiccs where eid = ?")
        .param(eid.value())
        .query(
            (rs, i) ->
                new EuiccRegistry.Euicc(
                    rs.getLong("id"),
                    Eid.of(rs.getString("eid")),
                    Curve.valueOf(rs.getString("curve")),
                    rs.getBytes("euicc_certificate")))
        .optional();
  }

  /** The chips among {@code eids} that are registered (unknown EIDs are absent). */
  public List<IdAndCurve> idsAndCurves(List<Eid> eids) {
    return jdbc.sql("select id, eid, curve from euiccs where eid = any (?)")
        .param(eids.stream().map(Eid::value).toArray(String[]::new))
        .query(
            (rs, i) ->
                new IdAndCurve(
                    rs.getLong("id"), Eid.of(rs.getString("eid")), rs.getString("curve")))
        .list();
  }
}
