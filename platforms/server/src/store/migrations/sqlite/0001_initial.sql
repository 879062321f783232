-- lanterna-server on SQLite, schema 1. Append-only: add files, never edit.
CREATE TABLE units (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE enrollments (
    code_hash  TEXT PRIMARY KEY,  -- SHA-256 of the one-time code
    unit_id    TEXT NOT NULL REFERENCES units(id),
    expires_at TEXT NOT NULL
);
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES units(id),
    token_hash  TEXT NOT NULL UNIQUE,  -- SHA-256 of the token
    enrolled_at TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE TABLE coordinators (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE summaries (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES units(id),
    revision    INTEGER NOT NULL,
    deleted     INTEGER NOT NULL,
    activity    TEXT NOT NULL,
    date        TEXT NOT NULL,
    shift       TEXT NOT NULL,
    province    TEXT NOT NULL,
    comuni      TEXT NOT NULL,  -- JSON array of ISTAT codes
    cells       TEXT NOT NULL,  -- JSON array of cells
    received_at TEXT NOT NULL
);
CREATE INDEX summaries_by_date ON summaries(date, unit_id);
