-- Schema 5: what a summary says besides its cells (team, minutes, mapping night, an
-- informative session's place, themes, languages and head counts), as JSON of closed codes
-- and counts. Summaries stored before it have none.
ALTER TABLE summaries ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
