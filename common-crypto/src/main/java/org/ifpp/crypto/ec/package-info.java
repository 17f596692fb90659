/** EC keys and key agreement on P-256 and brainpoolP256r1 (IFPP.md section 5). */
package org.ifpp.crypto.ec;
