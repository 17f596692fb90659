/**
 * The eUICC data format (DPFF10) that an EUM exports and the Key Maker imports: one chip's EID,
 * certificates and signed one-time public keys ({@link org.ifpp.crypto.euiccdata.EuiccData}, tag
 * E1), a batch of chips ({@link org.ifpp.crypto.euiccdata.EuiccDataBatch}, tag E2), and the Key
 * Maker's check ({@link org.ifpp.crypto.euiccdata.EuiccDataVerifier}). The format is defined once,
 * in {@code docs/euicc-data-format.md}.
 */
package org.ifpp.crypto.euiccdata;
