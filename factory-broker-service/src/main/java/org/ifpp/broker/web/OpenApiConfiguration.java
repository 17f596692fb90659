package org.ifpp.broker.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The published OpenAPI description (/v3/api-docs, /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI brokerOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("IFPP factory broker")
                .version("v1")
                .description(
                    "Stores opaque bound profile packages from the Key Maker and hands each to"
                        + " exactly one production line (GSMA SGP.41 in-factory provisioning)."
                        + " Errors are RFC 9457 problem+json with a stable 'code'."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
