-- Factory broker store (IFPP.md sections 2-4). Holds only opaque bound packages, routing metadata,
-- installation results, idempotency records and client credential hashes: nothing to decrypt with.

CREATE TABLE batch (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id         varchar(64)  NOT NULL UNIQUE,
    target_factory      varchar(64)  NOT NULL,
    binding_certificate bytea        NOT NULL,
    package_count       integer      NOT NULL,
    uploaded_by         varchar(64)  NOT NULL,
    created_at          timestamptz  NOT NULL,
    purged_at           timestamptz
);

-- The narrow, hot row: a claim rewrites only this (no indexed column changes, so HOT updates).
CREATE TABLE package (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id         bigint       NOT NULL REFERENCES batch (id),
    transaction_id   bytea        NOT NULL UNIQUE,
    eid              varchar(32)  NOT NULL,
    target_factory   varchar(64)  NOT NULL,
    target_line      varchar(64),
    state            varchar(16)  NOT NULL,
    claimed_line     varchar(64),
    lease_until      timestamptz,
    claim_count      integer      NOT NULL DEFAULT 0,
    state_changed_at timestamptz  NOT NULL,
    CONSTRAINT package_state_check CHECK (state IN ('AVAILABLE', 'CLAIMED', 'REPORTED', 'PURGED')),
    CONSTRAINT package_claim_check CHECK (state <> 'CLAIMED' OR (claimed_line IS NOT NULL AND lease_until IS NOT NULL))
) WITH (fillfactor = 80);

CREATE INDEX package_eid_idx ON package (eid);
CREATE INDEX package_batch_idx ON package (batch_id);

-- The package bytes (BER-TLV BF36, stored exactly as uploaded), apart from the hot row.
CREATE TABLE package_content (
    package_id bigint PRIMARY KEY REFERENCES package (id),
    bpp        bytea NOT NULL
);

-- One signed result per package. tx_xid orders the export cursor by commit visibility (see
-- ResultExportService): a plain sequence can commit out of order and a cursor would skip rows.
CREATE TABLE installation_result (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_xid         xid8         NOT NULL DEFAULT pg_current_xact_id(),
    package_id     bigint       NOT NULL UNIQUE REFERENCES package (id),
    batch_id       bigint       NOT NULL REFERENCES batch (id),
    transaction_id bytea        NOT NULL,
    eid            varchar(32)  NOT NULL,
    outcome        varchar(16)  NOT NULL,
    pir            bytea        NOT NULL,
    line           varchar(64)  NOT NULL,
    reported_at    timestamptz  NOT NULL,
    CONSTRAINT installation_result_outcome_check CHECK (outcome IN ('INSTALLED', 'FAILED'))
);

CREATE INDEX installation_result_export_idx ON installation_result (tx_xid, seq);
CREATE INDEX installation_result_batch_idx ON installation_result (batch_id);

CREATE TABLE idempotency_record (
    client_name     varchar(64)  NOT NULL,
    idempotency_key varchar(200) NOT NULL,
    operation       varchar(64)  NOT NULL,
    request_hash    bytea        NOT NULL,
    response_status integer,
    response_body   bytea,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (client_name, idempotency_key)
);

CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);

CREATE TABLE api_client (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(64)  NOT NULL UNIQUE,
    scopes      varchar(512) NOT NULL,
    factory     varchar(64),
    line        varchar(64),
    created_at  timestamptz  NOT NULL,
    disabled_at timestamptz
);

-- Only SHA-256 hashes of bearer tokens; a token is shown once, when it is issued.
CREATE TABLE api_credential (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id    bigint      NOT NULL REFERENCES api_client (id),
    token_sha256 bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);

CREATE INDEX api_credential_client_idx ON api_credential (client_id);
