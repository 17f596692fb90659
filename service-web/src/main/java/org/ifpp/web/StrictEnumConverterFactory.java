package org.ifpp.web;

import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;

/**
 * Request parameters to enums by exact name. Spring's own converter trims first, so {@code
 * ?state=%00} became "no value" and an unfiltered list; here only an absent or empty parameter is
 * "no value", anything else must name a constant or the request is 400 {@code invalid-parameter}.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class StrictEnumConverterFactory implements ConverterFactory<String, Enum> {

  @Override
  public <T extends Enum> Converter<String, T> getConverter(Class<T> targetType) {
    Class<?> type = targetType;
    while (type != null && !type.isEnum()) {
      type = type.getSuperclass();
    }
    Class enumType = type;
    return source -> source.isEmpty() ? null : (T) Enum.valueOf(enumType, source);
  }
}
