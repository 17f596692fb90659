-- Every report for a package is kept, not only the first (docs/factory-broker.md, "Reports"): the
-- broker cannot verify a chip's signature, so a false or mistaken first report must not block the
-- genuine one. The Key Maker verifies each and decides; an exact repeat (same signed bytes) is
-- still one row, recognised through this index, which also serves the per-package look-ups.
ALTER TABLE installation_result DROP CONSTRAINT installation_result_package_id_key;
CREATE UNIQUE INDEX installation_result_package_pir_idx
    ON installation_result (package_id, sha256(pir));
