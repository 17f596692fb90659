/**
 * Profile Loading Reports (SGP.41 ESBPP03, as read in docs/orders.md) and the operator's report:
 * the factory's account of every device of an order, reconciled against the bindings, and the
 * signed file the operator keeps. Depends on orders and results; nothing depends on it.
 */
package org.ifpp.keymaker.reports;
