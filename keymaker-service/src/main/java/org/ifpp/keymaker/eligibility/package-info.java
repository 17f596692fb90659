/**
 * DPFF09: per profile pool, the operator's rules for which chips may get its profiles (EUM, EID
 * ranges, EUICCInfo2 capabilities), checked before every binding (docs/orders.md).
 */
package org.ifpp.keymaker.eligibility;
