-- PPK-mode packages end with the stored protected profile's A3 element, byte for byte. The outbox
-- keeps only the binding-specific head (BF36 tag and length, BF23, A0, A1, A2) when a3_length is
-- set; the package is head || the last a3_length bytes of profiles.protected_segments (whose
-- storage encoding ends with that A3), assembled at dispatch. Rows without a3_length hold the
-- whole package. Profiles' protected segments are never updated.
alter table outbox add column a3_length integer;
