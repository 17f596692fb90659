-- The chips' finalisation receipts (BF7B) as the device maker's line step reported them, kept for
-- the Key Maker, which pulls them after a cursor and verifies each with the chip's certificate (the
-- broker cannot). tx_xid orders the cursor by commit visibility, as for installation_result.
CREATE TABLE finalisation_receipt (
    seq          bigserial    PRIMARY KEY,
    tx_xid       xid8         NOT NULL DEFAULT pg_current_xact_id(),
    eid          varchar(32)  NOT NULL,
    receipt      bytea        NOT NULL,
    line         varchar(64)  NOT NULL,
    reported_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX finalisation_receipt_export_idx ON finalisation_receipt (tx_xid, seq);
CREATE UNIQUE INDEX finalisation_receipt_once_idx ON finalisation_receipt (eid, sha256(receipt));
