package org.ifpp.keymaker.web;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Path and query parameters declared as {@link Eid}, {@link Iccid} or {@link TransactionId} are
 * parsed by {@link Ids}: a bad one answers problem+json with its own code (the shared advice
 * answers a converter's {@code DomainException} as it is). The API description shows them as the
 * strings they are on the wire.
 */
@Configuration(proxyBeanMethods = false)
class IdConverters implements WebMvcConfigurer {

  static {
    SpringDocUtils.getConfig()
        .replaceWithClass(Eid.class, String.class)
        .replaceWithClass(Iccid.class, String.class)
        .replaceWithClass(TransactionId.class, String.class);
  }

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverter(String.class, Eid.class, Ids::eid);
    registry.addConverter(String.class, Iccid.class, Ids::iccid);
    registry.addConverter(String.class, TransactionId.class, Ids::transactionId);
  }
}
