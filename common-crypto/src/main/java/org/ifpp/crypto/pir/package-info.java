/**
 * The signed Profile Installation Result (SGP.22 section 5.5.3, ES8+; IFPP.md section 6 step 9):
 * the eUICC encodes and signs it ({@link org.ifpp.crypto.pir.ProfileInstallationResult#sign}), the
 * untrusted broker checks its structure without a key ({@link
 * org.ifpp.crypto.pir.PirStructure#check}), and the Key Maker verifies it with the eUICC's key
 * ({@link org.ifpp.crypto.pir.PirVerifier#verify}).
 */
package org.ifpp.crypto.pir;
