package org.ifpp.broker.batches;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.Headers;
import org.ifpp.web.idempotency.Fingerprinted;
import org.ifpp.web.idempotency.IdempotencyService;
import org.ifpp.web.idempotency.IdempotencyService.Outcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The Key Maker's side: upload a batch, follow it, purge it at end of production. */
@RestController
@RequestMapping(path = "/api/v1/batches", produces = "application/json")
@Tag(name = "key maker", description = "batches of bound packages")
class BatchController {

  private final BatchValidator validator;
  private final BatchService service;
  private final IdempotencyService idempotency;
  private final JsonMapper json;

  BatchController(
      BatchValidator validator,
      BatchService service,
      IdempotencyService idempotency,
      JsonMapper json) {
    this.validator = validator;
    this.service = service;
    this.idempotency = idempotency;
    this.json = json;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Upload a batch of bound packages (all or nothing)",
      description =
          "Idempotency-Key is required: a retry with the same key and body returns the first"
              + " answer (header Idempotent-Replayed: true). A transactionId already stored is"
              + " 409 duplicate-transaction-id; the whole batch is then refused.")
  ResponseEntity<UploadBatchResponse> upload(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(Headers.IDEMPOTENCY_KEY) String idempotencyKey,
      @RequestBody UploadBatchRequest request) {
    client.require(Scope.UPLOAD);
    return store(client, idempotencyKey, request, validator.validate(request));
  }

  @PostMapping(consumes = PackageBatchBody.MEDIA_TYPE)
  @Operation(
      summary = "Upload a batch of bound packages, binary form (all or nothing)",
      description =
          "Body: a 4-byte big-endian header length, the JSON upload request without the"
              + " packages' boundProfilePackage, then each package's BF36 TLV in the header's"
              + " order. Same checks, answers and Idempotency-Key rules as the JSON form; the"
              + " fingerprint is the whole body.")
  ResponseEntity<UploadBatchResponse> uploadBinary(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(Headers.IDEMPOTENCY_KEY) String idempotencyKey,
      @RequestBody byte[] body) {
    client.require(Scope.UPLOAD);
    PackageBatchBody parsed = PackageBatchBody.parse(body, json);
    return store(client, idempotencyKey, parsed, validator.validate(parsed));
  }

  /**
   * Both forms: stores the checked batch once per Idempotency-Key, fingerprinted by {@code
   * request}.
   */
  private ResponseEntity<UploadBatchResponse> store(
      ApiClient client,
      String idempotencyKey,
      Fingerprinted request,
      BatchValidator.ValidBatch batch) {
    Outcome<UploadBatchResponse> outcome =
        idempotency.execute(
            client.name(),
            idempotencyKey,
            "upload-batch",
            request,
            UploadBatchResponse.class,
            () -> service.store(client, batch));
    return Headers.replayed(ResponseEntity.status(HttpStatus.CREATED), outcome);
  }

  @GetMapping("/{batchId}")
  @Operation(summary = "Counts of a batch's packages by state")
  BatchStatusResponse status(
      @Parameter(hidden = true) ApiClient client, @PathVariable String batchId) {
    client.require(Scope.EXPORT);
    return service.status(batchId);
  }

  @PostMapping("/{batchId}/purge")
  @Operation(
      summary = "Purge the batch's unclaimed packages (end of production)",
      description = "Repeatable: a second purge purges what has become unclaimed since.")
  ResponseEntity<PurgeResponse> purge(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @PathVariable String batchId) {
    client.require(Scope.PURGE);
    Outcome<PurgeResponse> outcome =
        idempotency.execute(
            client.name(),
            idempotencyKey,
            "purge-batch",
            batchId,
            PurgeResponse.class,
            () -> service.purge(batchId));
    return Headers.replayed(ResponseEntity.ok(), outcome);
  }
}
