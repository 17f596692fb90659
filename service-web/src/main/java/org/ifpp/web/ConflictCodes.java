package org.ifpp.web;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * A service's translation of a uniqueness race lost in the database (the pre-checks normally give
 * the precise answer first) into one of its catalogue codes; null leaves the generic {@code
 * conflict}. Optional: declare one bean.
 */
@FunctionalInterface
public interface ConflictCodes {

  ErrorCode codeFor(DataIntegrityViolationException e);
}
