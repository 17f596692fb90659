package org.ifpp.keymaker.orders;

import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Parses a path's order id where it enters (Spring MVC registers converter beans): a bad one is 400
 * {@code invalid-order-id}.
 */
@Component
class OrderIdConverter implements Converter<String, OrderId> {

  static {
    SpringDocUtils.getConfig().replaceWithClass(OrderId.class, String.class);
  }

  @Override
  public OrderId convert(String text) {
    return parse(text);
  }

  static OrderId parse(String text) {
    try {
      return OrderId.of(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER_ID, "order ids are UUIDs");
    }
  }
}
