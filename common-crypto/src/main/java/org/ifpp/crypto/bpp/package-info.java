/**
 * The SGP.22 profile packages (section 2.5) as IFPP.md section 5 uses them: {@link
 * org.ifpp.crypto.bpp.UnprotectedProfilePackage} -> {@link
 * org.ifpp.crypto.bpp.ProtectedProfilePackage} -> {@link org.ifpp.crypto.bpp.BoundProfilePackage},
 * built by {@link org.ifpp.crypto.bpp.BoundProfilePackageBuilder} and opened on the eUICC side by
 * {@link org.ifpp.crypto.bpp.BoundProfilePackageOpener} (section 6 checks).
 */
package org.ifpp.crypto.bpp;
