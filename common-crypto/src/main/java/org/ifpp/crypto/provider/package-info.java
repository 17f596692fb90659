/** Pinned JCA providers: the only place engines are looked up (IFPP.md section 5 algorithms). */
package org.ifpp.crypto.provider;
