package org.ifpp.broker.lines;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

  private final PackageRepository packages;
  private final ConcurrentMap<Long, String> byKey = new ConcurrentHashMap<>();

  BatchIds(PackageRepository packages) {
    this.packages = packages;
  }

  String externalId(long batchKey) {
    String id = byKey.get(batchKey);
    if (id != null) {
      return id;
    }
    id = packages.batchExternalId(batchKey);
    if (byKey.size() >= MAX) {
      byKey.clear();
    }
    byKey.put(batchKey, id);
    return id;
  }
}
