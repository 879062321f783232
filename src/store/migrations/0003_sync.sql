-- Lanterna schema 3: sync. Append-only.

-- Outings and sessions deleted after they were synced: the server gets a tombstone
-- revision so its copy goes too.
CREATE TABLE sync_tombstones (
    id              TEXT PRIMARY KEY,
    activity        TEXT NOT NULL,
    date            TEXT NOT NULL,
    shift           TEXT NOT NULL,
    province        TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    synced_revision INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
