package org.ifpp.broker.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;

/** PostgreSQL array parameters for the repositories' set-based statements. */
public final class SqlArrays {

  private SqlArrays() {}

  /**
   * An array parameter made by the driver ({@code Connection.createArrayOf}), e.g. {@code
   * of("bytea", byte[][])} for a {@code ?::bytea[]}.
   */
  public static AbstractSqlTypeValue of(String elementType, Object[] values) {
    return new AbstractSqlTypeValue() {
      @Override
      protected Object createTypeValue(Connection con, int sqlType, String typeName)
          throws SQLException {
        return con.createArrayOf(elementType, values);
      }
    };
  }
}
