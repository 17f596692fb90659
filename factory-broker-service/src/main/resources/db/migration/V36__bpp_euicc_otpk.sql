-- The one-time key each package is bound to (SGP.22 bppEuiccOtpk: otPK.EUICC, 04||X||Y), as the
-- Key Maker names it at upload, relayed in every claim so that the chip tries only that key
-- (docs/factory-broker.md). Public data, not a secret. Beside the bytes, not in the hot row: the
-- claim reads it with the package, and the narrow row keeps its room for HOT updates. Null for a
-- package uploaded without it (the chip then tries each of its unused keys).
ALTER TABLE package_content ADD COLUMN bpp_euicc_otpk bytea;
