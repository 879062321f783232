-- Lanterna schema 4: the register of persons and persons per reporting period. Append-only.
-- Nothing here is ever synced as is: the phone sends only the counts of `period_cells`.

-- One row per person the unit met. `name` is the worker's short name or code and
-- `import_code` the `person` column of an imported file: both stay in this encrypted file.
CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    name         TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 24),
    import_code  TEXT UNIQUE,
    gender       TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality  TEXT NOT NULL CHECK (length(nationality) = 2),
    age_band     TEXT,
    protection   TEXT NOT NULL DEFAULT 'unknown',
    known_before INTEGER NOT NULL DEFAULT 0 CHECK (known_before IN (0, 1)), -- first contact said "already known"
    first_met    TEXT,               -- YYYY-MM-DD of the first contact
    last_met     TEXT,               -- YYYY-MM-DD of the last contact
    times        INTEGER NOT NULL DEFAULT 0,
    merged_into  INTEGER REFERENCES persons(id),  -- merged into another person (kept for undo)
    created_at   TEXT NOT NULL
);

-- Every contact is one person's. Contacts recorded before the register are one person each.
ALTER TABLE contacts ADD COLUMN person_id INTEGER REFERENCES persons(id);
INSERT INTO persons (id, gender, nationality, age_band, protection, known_before, first_met, last_met, times, created_at)
SELECT c.id, c.gender, c.nationality, c.age_band, c.protection, c.first_contact IS 0, o.date, o.date, 1, c.recorded_at
FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id;
UPDATE contacts SET person_id = id;
CREATE INDEX contacts_by_person ON contacts(person_id);

-- The last merge of two persons, for undo: the absorbed person's contacts, by id.
CREATE TABLE person_merges (
    id        INTEGER PRIMARY KEY,
    kept      INTEGER NOT NULL REFERENCES persons(id),
    absorbed  INTEGER NOT NULL REFERENCES persons(id),
    contacts  TEXT NOT NULL,   -- JSON array of contact ids
    merged_at TEXT NOT NULL
);

-- Reporting periods published by the server (calendar months, quarters and years are
-- always kept and need no row here).
CREATE TABLE periods (
    period TEXT PRIMARY KEY,   -- 'YYYY-MM-DD..YYYY-MM-DD'
    name   TEXT NOT NULL       -- the coordinator's name for it
) WITHOUT ROWID;

-- One row per person met in a period, per activity, province and shift, with the cell
-- the person counts in (copied from `persons`; rewritten when the person changes).
-- Keyed by person first: a tap adds its rows to one page, a rebuild deletes by prefix;
-- reports never read this table, only `period_cells`.
CREATE TABLE person_periods (
    period      TEXT NOT NULL,
    activity    TEXT NOT NULL,
    province    TEXT NOT NULL,
    shift       TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    nationality TEXT NOT NULL,
    gender      TEXT NOT NULL,
    minor       INTEGER NOT NULL,
    new         INTEGER NOT NULL,  -- first met ever inside the period
    protection  INTEGER NOT NULL,
    PRIMARY KEY (person_id, period, activity, province, shift)
) WITHOUT ROWID;

-- Persons per cell and period, kept by the triggers below in the same transaction as
-- every change of `person_periods`: what reports of a period read.
CREATE TABLE period_cells (
    period      TEXT NOT NULL,
    activity    TEXT NOT NULL,
    province    TEXT NOT NULL,
    shift       TEXT NOT NULL,
    nationality TEXT NOT NULL,
    gender      TEXT NOT NULL,
    minor       INTEGER NOT NULL,
    new         INTEGER NOT NULL,
    protection  INTEGER NOT NULL,
    persons     INTEGER NOT NULL CHECK (persons > 0),
    PRIMARY KEY (period, activity, province, shift, nationality, gender, minor, new, protection)
) WITHOUT ROWID;

CREATE TRIGGER person_periods_in AFTER INSERT ON person_periods BEGIN
    INSERT INTO period_cells VALUES (NEW.period, NEW.activity, NEW.province, NEW.shift, NEW.nationality,
                                     NEW.gender, NEW.minor, NEW.new, NEW.protection, 1)
    ON CONFLICT DO UPDATE SET persons = persons + 1;
END;

CREATE TRIGGER person_periods_out AFTER DELETE ON person_periods BEGIN
    DELETE FROM period_cells WHERE persons = 1 AND (period, activity, province, shift, nationality, gender, minor, new, protection)
        = (OLD.period, OLD.activity, OLD.province, OLD.shift, OLD.nationality, OLD.gender, OLD.minor, OLD.new, OLD.protection);
    UPDATE period_cells SET persons = persons - 1
    WHERE (period, activity, province, shift, nationality, gender, minor, new, protection)
        = (OLD.period, OLD.activity, OLD.province, OLD.shift, OLD.nationality, OLD.gender, OLD.minor, OLD.new, OLD.protection);
END;

-- A row is never changed in place (a rebuild deletes and inserts): refuse it, so the cells
-- cannot drift from their rows.
CREATE TRIGGER person_periods_fixed BEFORE UPDATE ON person_periods BEGIN
    SELECT RAISE(ABORT, 'person_periods rows are replaced, never updated');
END;

-- What the server last acknowledged of each period's person cells.
CREATE TABLE person_cells_sync (
    period          TEXT NOT NULL,
    activity        TEXT NOT NULL,
    province        TEXT NOT NULL,
    digest          TEXT NOT NULL,   -- of the cells last sent
    revision        INTEGER NOT NULL,
    synced_revision INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (period, activity, province)
) WITHOUT ROWID;
