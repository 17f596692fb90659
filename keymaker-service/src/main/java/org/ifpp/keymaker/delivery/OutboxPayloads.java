package org.ifpp.keymaker.delivery;

/**
 * SQL for reading whole bound packages from the outbox (IFPP.md section 5: the wire format is
 * unchanged). A PPK-mode row stores only its binding-specific head and the length of the A3
 * element, which is the last part of the profile's stored protected segments; see {@code
 * V2__outbox_head.sql}.
 */
public final class OutboxPayloads {

  private OutboxPayloads() {}

  /** FROM clause: the outbox as {@code o}, joined with the profile it carries as {@code p}. */
  public static final String FROM = "outbox o left join profiles p on p.iccid = o.iccid";

  /** The whole package of an outbox row {@code o} (with {@link #FROM}). */
  public static final String PAYLOAD =
      "(case when o.a3_length is null then o.payload else o.payload || substring("
          + "p.protected_segments from octet_length(p.protected_segments) - o.a3_length + 1) end)";
}
