package org.ifpp.broker.web;

import org.ifpp.web.ConflictCodes;
import org.ifpp.web.ErrorCode;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * A uniqueness race lost against a concurrent upload (the pre-checks normally give the precise
 * answer): the batch's external id or a package's transactionId, told apart by the constraint.
 */
@Component
class DuplicateCodes implements ConflictCodes {

  @Override
  public ErrorCode codeFor(DataIntegrityViolationException e) {
    String message = String.valueOf(e.getMostSpecificCause().getMessage());
    return message.contains("batch_external_id_key")
        ? BrokerError.DUPLICATE_BATCH
        : BrokerError.DUPLICATE_TRANSACTION_ID;
  }
}
