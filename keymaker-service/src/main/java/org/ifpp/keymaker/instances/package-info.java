/**
 * This Key Maker instance among those sharing one database: its id and its lease, kept alive by a
 * heartbeat in database time (docs/operations.md, "Scaling").
 */
package org.ifpp.keymaker.instances;
