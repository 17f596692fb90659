package org.ifpp.broker.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A socket write buffer that holds a whole claim answer (headers and a bound package of about 12
 * KB): Tomcat's default of 8 KB sends it in two or three writes, each of which can wake the line's
 * reader. Measured in docs/factory-broker.md, "Benchmark".
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

  static final int WRITE_BUFFER = 32 * 1024;

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> socketWriteBuffer() {
    return factory ->
        factory.addConnectorCustomizers(
            connector ->
                connector.setProperty("socket.appWriteBufSize", String.valueOf(WRITE_BUFFER)));
  }
}
