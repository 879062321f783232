-- Lanterna schema 1. Append-only: once shipped, never edit; add a new file instead.
PRAGMA application_id = 1280201793; -- 'LNTA'

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL  -- JSON
) WITHOUT ROWID;

CREATE TABLE units (
    id         TEXT PRIMARY KEY,  -- random UUID
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,  -- of the file's bytes: the same file is not imported twice
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE outings (
    id               TEXT PRIMARY KEY,  -- random UUID, also the sync identity
    unit_id          TEXT NOT NULL REFERENCES units(id),
    activity         TEXT NOT NULL CHECK (activity IN ('street', 'labour')),
    date             TEXT NOT NULL,     -- YYYY-MM-DD, Europe/Rome
    shift            TEXT NOT NULL CHECK (shift IN ('day', 'night')),
    shift_overridden INTEGER NOT NULL DEFAULT 0,
    started_at       TEXT,              -- RFC 3339 UTC
    ended_at         TEXT,
    team_size        INTEGER CHECK (team_size BETWEEN 1 AND 50),
    mediator         INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    revision         INTEGER NOT NULL DEFAULT 1,
    synced_revision  INTEGER NOT NULL DEFAULT 0,
    import_id        INTEGER REFERENCES imports(id),
    updated_at       TEXT NOT NULL
);
CREATE INDEX outings_by_date ON outings(date, activity);
CREATE INDEX outings_by_import ON outings(import_id) WHERE import_id IS NOT NULL;

CREATE TABLE stops (
    id         INTEGER PRIMARY KEY,
    outing_id  TEXT NOT NULL REFERENCES outings(id) ON DELETE CASCADE,
    province   TEXT NOT NULL,
    comune     TEXT,            -- ISTAT code; NULL when only the province is known
    label      TEXT,            -- the unit's own words; never leaves the phone
    arrived_at TEXT
);
CREATE INDEX stops_by_outing ON stops(outing_id);

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    stop_id        INTEGER NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    gender         TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality    TEXT NOT NULL CHECK (length(nationality) = 2),
    age_band       TEXT,
    first_contact  INTEGER CHECK (first_contact IN (0, 1)),
    protection     TEXT NOT NULL DEFAULT 'unknown',
    information    INTEGER NOT NULL DEFAULT 0,
    listening      INTEGER NOT NULL DEFAULT 0,
    referrals      INTEGER NOT NULL DEFAULT 0,  -- bit i = ServiceKind::ALL[i]
    accompaniments INTEGER NOT NULL DEFAULT 0,
    recorded_at    TEXT NOT NULL
);
-- Covers the contacts tables: grouped in index order, no lookup of the rows.
CREATE INDEX contacts_tally ON contacts(stop_id, nationality, gender, age_band, first_contact, protection);

CREATE TABLE contact_items (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    language   TEXT NOT NULL DEFAULT '',  -- leaflets only
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (contact_id, kind, language)
) WITHOUT ROWID;
