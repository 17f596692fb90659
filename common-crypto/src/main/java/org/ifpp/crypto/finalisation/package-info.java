/**
 * The end of production with signed proof (GENS13, DMF03/EUICCF03, EUICCF04; IFPP.md section 8):
 * the device maker's signed finalisation command ({@code BF7A}, bound to one EID, with a counter
 * against replay) and the chip's signed receipt ({@code BF7B}). SGP.41 leaves the mechanism to the
 * device maker and the EUM; the tags and fields are this project's, documented byte by byte in
 * {@code docs/finalisation.md}.
 */
package org.ifpp.crypto.finalisation;
