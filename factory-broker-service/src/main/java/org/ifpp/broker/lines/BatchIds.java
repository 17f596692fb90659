package org.ifpp.broker.lines;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Key Maker's batch id of an internal batch key, for the claim's answer. A batch row never
 * changes its id nor goes away once committed, and a line can only claim a package of a committed
 * batch, so the mapping is cached for good: the claim statement no longer looks it up each time (a
 * sub-plan per claim in PostgreSQL).
 */
@Component
class BatchIds {

  /** Bounds the cache; a factory runs a handful of batches at a time. */
  private static final int MAX = 10_000;

  private final JdbcTemplate jdbc;
  private final ConcurrentMap<Long, String> byKey = new ConcurrentHashMap<>();

  BatchIds(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  String externalId(long batchKey) {
    String id = byKey.get(batchKey);
    if (id != null) {
      return id;
    }
    id = jdbc.queryForObject("SELECT external_id FROM batch WHERE id = ?", String.class, batchKey);
    if (byKey.size() >= MAX) {
      byKey.clear();
    }
    byKey.put(batchKey, id);
    return id;
  }
}
