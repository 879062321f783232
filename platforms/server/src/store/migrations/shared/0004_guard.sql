-- lanterna-server, schema 4, on both backends: tokens that expire, and what a stolen
-- device sent set aside. A quarantined summary, period's persons or review is moved out
-- of the tables every report, listing, page, chart and published table reads (so none
-- of them can forget to leave it out) into a table of the same columns, with when it
-- was set aside. Append-only: add files, never edit.
ALTER TABLE devices ADD COLUMN token_expires_at TEXT;  -- NULL: never
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;     -- NULL: never
CREATE INDEX enrollments_by_expiry ON enrollments(expires_at);
CREATE TABLE quarantined_summaries AS SELECT * FROM summaries WHERE 1 = 0;
ALTER TABLE quarantined_summaries ADD COLUMN quarantined_at TEXT;
CREATE INDEX quarantined_summaries_by_device ON quarantined_summaries(device_id);
CREATE TABLE quarantined_person_summaries AS SELECT * FROM person_summaries WHERE 1 = 0;
ALTER TABLE quarantined_person_summaries ADD COLUMN quarantined_at TEXT;
CREATE INDEX quarantined_person_summaries_by_device ON quarantined_person_summaries(device_id);
CREATE TABLE quarantined_reviews AS SELECT * FROM reviews WHERE 1 = 0;
CREATE INDEX quarantined_reviews_by_summary ON quarantined_reviews(summary_id);
