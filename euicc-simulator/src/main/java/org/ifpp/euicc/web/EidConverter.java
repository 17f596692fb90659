package org.ifpp.euicc.web;

import org.ifpp.crypto.ids.Eid;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Path variables declared as {@link Eid} are parsed by {@link EidPathParser} where they enter: a
 * bad one answers 400 problem+json {@code invalid-eid} (the shared advice answers a converter's
 * {@code DomainException} as it is). The API description shows them as the strings they are on the
 * wire.
 */
@Configuration(proxyBeanMethods = false)
class EidConverter implements WebMvcConfigurer {

  static {
    SpringDocUtils.getConfig().replaceWithClass(Eid.class, String.class);
  }

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverter(String.class, Eid.class, EidPathParser::parse);
  }
}
