-- Phone-number hashes become memory-hard: number_hash = Argon2id(HMAC-SHA256(number)) under
-- the unit's random key, so whoever opens the database pays about 50 ms per candidate
-- number instead of a microsecond. The stored HMACs are converted in Rust right after this
-- script, in the same transaction (store::indoor::ads::harden_number_hashes); the column keeps
-- its 32-byte check.
SELECT 1;
