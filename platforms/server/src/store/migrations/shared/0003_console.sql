-- lanterna-server, schema 3, on both backends: the coordinators' console. Accounts with a
-- scope, sign-in links, sessions and API tokens (only hashes of secrets are kept);
-- projects grouping units; which device sent each summary; reviews, closed periods,
-- targets and an append-only audit trail. {serial}, {bigint} and {date} are each
-- dialect's types; the audit trail's trigger is the dialect's own file (0003_audit.sql).
-- Append-only: add files, never edit.
ALTER TABLE coordinators ADD COLUMN scope TEXT NOT NULL DEFAULT 'all';  -- all | unit:ID | project:ID
ALTER TABLE coordinators ADD COLUMN password_hash TEXT;                -- Argon2id PHC string
ALTER TABLE coordinators ADD COLUMN revoked_at TEXT;
-- Tokens of schema 1 become API tokens of the same coordinator (scope all, as before).
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY,
    coordinator_id TEXT NOT NULL REFERENCES coordinators(id),
    token_hash     TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT
);
INSERT INTO api_tokens (id, coordinator_id, token_hash, created_at) SELECT id, id, token_hash, created_at FROM coordinators;
CREATE TABLE sign_in_links (
    link_hash      TEXT PRIMARY KEY,
    coordinator_id TEXT NOT NULL REFERENCES coordinators(id),
    expires_at     TEXT NOT NULL,
    used_at        TEXT
);
CREATE TABLE sessions (
    id_hash        TEXT PRIMARY KEY,
    coordinator_id TEXT NOT NULL REFERENCES coordinators(id),
    csrf           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    seen_at        TEXT NOT NULL
);
CREATE TABLE projects (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE project_units (
    project_id TEXT NOT NULL REFERENCES projects(id),
    unit_id    TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (project_id, unit_id)
);
ALTER TABLE summaries ADD COLUMN device_id TEXT;  -- NULL for summaries of schema 1 and 2
ALTER TABLE devices ADD COLUMN last_sync_at TEXT;
CREATE INDEX summaries_by_unit ON summaries(unit_id, date);
CREATE INDEX summaries_by_device ON summaries(device_id);
CREATE TABLE reviews (
    id             {serial},
    summary_id     TEXT NOT NULL REFERENCES summaries(id),
    revision       {bigint} NOT NULL,
    state          TEXT NOT NULL,  -- approved | returned
    reason         TEXT,           -- a ReturnReason code
    coordinator_id TEXT NOT NULL REFERENCES coordinators(id),
    at             TEXT NOT NULL
);
CREATE INDEX reviews_by_summary ON reviews(summary_id, id);
CREATE TABLE closings (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT REFERENCES units(id),
    project_id  TEXT REFERENCES projects(id),
    date_from   {date} NOT NULL,
    date_to     {date} NOT NULL,
    closed_by   TEXT NOT NULL,
    closed_at   TEXT NOT NULL,
    reopened_by TEXT,
    reopened_at TEXT
);
CREATE TABLE targets (
    project_id TEXT NOT NULL REFERENCES projects(id),
    date_from  {date} NOT NULL,
    date_to    {date} NOT NULL,
    indicator  TEXT NOT NULL,
    stage      TEXT NOT NULL,  -- intermediate | final
    value      {bigint} NOT NULL,
    PRIMARY KEY (project_id, date_from, date_to, indicator, stage)
);
CREATE TABLE audit (
    seq     {serial},
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,  -- a coordinator's name, or "server admin" for the command line
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL
);
