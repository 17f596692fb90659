/**
 * Production orders (SGP.41 ES-bpp, read as documented in docs/orders.md): an operator's profile
 * pool, the factory it is for, its devices, its state; progress and reconciliation per order.
 * Bindings run under an order through {@link org.ifpp.keymaker.orders.OrderService#admit}.
 */
package org.ifpp.keymaker.orders;
