/** Batches of imports and bindings (their ids, kinds and sizes). */
package org.ifpp.keymaker.batches;
