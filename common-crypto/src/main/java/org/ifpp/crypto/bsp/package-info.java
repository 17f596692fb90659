/**
 * The SGP.22 BSP (formerly SCP03t, section 2.6.4): key derivation, per-segment encryption and MAC
 * chaining (IFPP.md section 5).
 */
package org.ifpp.crypto.bsp;
