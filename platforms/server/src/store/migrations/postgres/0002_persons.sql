-- lanterna-server on PostgreSQL, schema 2: named reporting periods, and the persons each
-- device met per period, activity and province. Append-only: add files, never edit.
CREATE TABLE periods (
    name       TEXT PRIMARY KEY,  -- the coordinator's name for it
    date_from  DATE NOT NULL,
    date_to    DATE NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE person_summaries (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    unit_id     TEXT NOT NULL REFERENCES units(id),
    date_from   DATE NOT NULL,
    date_to     DATE NOT NULL,
    activity    TEXT NOT NULL,
    province    TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    cells       TEXT NOT NULL,  -- JSON array of person cells
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, date_from, date_to, activity, province)
);
CREATE INDEX person_summaries_by_period ON person_summaries(date_from, date_to, unit_id);
