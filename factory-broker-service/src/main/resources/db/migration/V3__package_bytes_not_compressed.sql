-- A bound package is ciphertext and signatures: PostgreSQL's compression cannot shrink it, so do
-- not let it try on every insert (out of line, uncompressed; as the Key Maker's outbox does).
ALTER TABLE package_content ALTER COLUMN bpp SET STORAGE EXTERNAL;
