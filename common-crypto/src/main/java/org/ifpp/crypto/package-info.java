/**
 * The SGP.22 Bound Profile Package engine used by every IFPP component. Plain Java on BouncyCastle
 * and JCA/PKCS#11; no Spring (an ArchUnit rule proves it). See {@code docs/rules.md} section 5 for
 * the wire format and section 6 for the eUICC checks.
 */
package org.ifpp.crypto;
