-- Lanterna schema 8: what the server refused, one summary at a time. Append-only.
-- Nothing here is free text: ids, revisions and codes from a closed list.

-- A revision of an outing, session or tombstone the server refused (not plausible: a
-- count over the per-outing maximum, a date out of range, ...). That revision is never
-- sent again; an edit makes a new revision, which is sent and judged again.
CREATE TABLE refused_summaries (
    id       TEXT PRIMARY KEY,   -- an outing's, session's or tombstone's id
    revision INTEGER NOT NULL,   -- the revision refused
    reason   TEXT NOT NULL       -- a wire::Refusal code
) WITHOUT ROWID;

-- The same for a period's persons, by the key the server keeps them under.
CREATE TABLE refused_persons (
    period   TEXT NOT NULL,      -- 'YYYY-MM-DD..YYYY-MM-DD'
    activity TEXT NOT NULL,
    province TEXT NOT NULL,
    revision INTEGER NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (period, activity, province)
) WITHOUT ROWID;
