package org.ifpp.broker.web;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ifpp.web.DomainException;
import org.ifpp.web.WebError;

/**
 * Where a reader of one of the broker's export feeds (results, loading reports, package requests,
 * finalisation receipts) stands: {@code <xid>.<position>}, the writing transaction's id and the
 * row's position in its feed, so rows committed late by a long transaction are not skipped. Opaque
 * to readers: they send back what the last page answered, or nothing to start.
 *
 * @param xid the transaction id, as decimal text
 * @param position the row's position (its id or sequence)
 */
public record ExportCursor(String xid, long position) {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,20})\\.([0-9]{1,19})");

  /** The start of a feed. */
  public static final ExportCursor START = new ExportCursor("0", 0);

  /**
   * Parses what a reader sent.
   *
   * @param after a cursor an earlier page answered, or null or empty for the start
   * @throws DomainException 400 {@code invalid-cursor} for anything else
   */
  public static ExportCursor after(String after) {
    if (after == null || after.isEmpty()) {
      return START;
    }
    Matcher m = FORM.matcher(after);
    if (m.matches()) {
      try {
        return new ExportCursor(m.group(1), Long.parseLong(m.group(2)));
      } catch (NumberFormatException tooLarge) {
        // falls through to the refusal
      }
    }
    throw new DomainException(BrokerError.INVALID_CURSOR, "after: a cursor returned earlier");
  }

  /**
   * Checks a requested page size.
   *
   * @throws DomainException 400 {@code invalid-parameter} unless 1 to {@code max}
   */
  public static void checkLimit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw new DomainException(WebError.INVALID_PARAMETER, "limit: 1 to " + max);
    }
  }

  /** The cursor after a page: after its last row, or this one again when the page is empty. */
  public <R> String next(List<R> page, Function<R, String> xidOf, ToLongFunction<R> positionOf) {
    if (page.isEmpty()) {
      return toString();
    }
    R last = page.get(page.size() - 1);
    return xidOf.apply(last) + "." + positionOf.applyAsLong(last);
  }

  @Override
  public String toString() {
    return xid + "." + position;
  }
}
