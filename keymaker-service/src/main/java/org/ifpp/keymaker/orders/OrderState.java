package org.ifpp.keymaker.orders;

/**
 * An order's lifecycle (docs/orders.md): CREATED until its first binding, IN_PRODUCTION while its
 * packages are bound and carried, REPORTED once the factory's loading report was reconciled (a
 * later report for the same order replaces nothing: each is kept and reconciled in turn).
 */
public enum OrderState {
  CREATED,
  IN_PRODUCTION,
  REPORTED
}
