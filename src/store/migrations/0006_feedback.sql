-- Lanterna schema 6: what the coordinators said. Append-only.
-- Nothing here is free text: ids, revisions, dates and codes from closed lists.

-- The latest review of each outing or session of this phone: the revision reviewed, and
-- approved or returned with its reason. It speaks of the record while the record's
-- revision is the one reviewed; a correction (a higher revision) waits for a new review.
CREATE TABLE reviews (
    id       TEXT PRIMARY KEY,   -- the outing's or session's id
    revision INTEGER NOT NULL CHECK (revision >= 1),
    state    TEXT NOT NULL CHECK (state IN ('approved', 'returned')),
    reason   TEXT CHECK (reason IS NULL OR reason IN ('counts', 'province', 'date', 'duplicate', 'other'))
) WITHOUT ROWID;

-- Summaries the server refused (409) because their day falls in a period a coordinator
-- closed: they stay pending and are not sent again until the period is reopened (a
-- later feedback no longer lists it).
CREATE TABLE closed_summaries (
    id       TEXT PRIMARY KEY,   -- an outing's, session's or tombstone's id
    date     TEXT NOT NULL,      -- its day, as sent
    revision INTEGER NOT NULL    -- the revision refused
) WITHOUT ROWID;

-- The same for a period's persons, by the key the server keeps them under.
CREATE TABLE closed_persons (
    period   TEXT NOT NULL,      -- 'YYYY-MM-DD..YYYY-MM-DD'
    activity TEXT NOT NULL,
    province TEXT NOT NULL,
    PRIMARY KEY (period, activity, province)
) WITHOUT ROWID;
