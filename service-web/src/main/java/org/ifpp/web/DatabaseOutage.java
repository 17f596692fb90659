package org.ifpp.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a failure that means "the database does not answer" (no connection from the pool, a
 * refused or broken connection), as opposed to a fault of a statement: the answer is then 503 with
 * Retry-After, and the same request may be sent again.
 */
final class DatabaseOutage {

  private DatabaseOutage() {}

  static boolean isOutage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DataAccessResourceFailureException
          || c instanceof CannotCreateTransactionException
          || c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof ConnectException
          || c instanceof SQLException s && isConnectionState(s.getSQLState())) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** SQLSTATE class 08 (connection exception) or 57P (the server shuts down or refuses). */
  private static boolean isConnectionState(String state) {
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }
}
