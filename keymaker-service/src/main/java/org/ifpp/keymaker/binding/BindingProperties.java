package org.ifpp.keymaker.binding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Binding settings.
 *
 * @param hostId the BSP hostId (1 to 16 bytes of text), the Key Maker's identity
 * @param workers binding threads (each uses its own HSM session objects)
 * @param chunk bindings reserved per transaction
 * @param maxAttempts bindings per profile before it is given up (first one included)
 */
@ConfigurationProperties("keymaker.binding")
public record BindingProperties(
    @DefaultValue("ifpp-keymaker") String hostId,
    @DefaultValue("2") int workers,
    @DefaultValue("32") int chunk,
    @DefaultValue("3") int maxAttempts) {}
