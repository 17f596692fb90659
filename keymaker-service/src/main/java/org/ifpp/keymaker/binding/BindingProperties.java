package org.ifpp.keymaker.binding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Binding settings.
 *
 * @param hostId the BSP hostId (1 to 16 bytes of text), the Key Maker's identity
 * @param workers binding threads (each uses its own HSM session objects); twice the 2 cores of the
 *     reference machine by default, because a binder waits on PostgreSQL for part of every chunk
 *     (the demo's binding phase: 18.1 s with 2, 12.4 s with 4 for 10,000 bindings)
 * @param chunk bindings reserved per transaction
 * @param maxAttempts bindings per profile before it is given up (first one included)
 */
@ConfigurationProperties("keymaker.binding")
public record BindingProperties(
    @DefaultValue("ifpp-keymaker") String hostId,
    @DefaultValue("4") int workers,
    @DefaultValue("32") int chunk,
    @DefaultValue("3") int maxAttempts) {}
