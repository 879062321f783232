-- Lanterna schema 10: outreach as the reports describe it. The team of an outing or
-- session, presences, labour sectors and settings, national mapping nights, informative
-- group sessions, message campaigns, protection status on every kind of contact, the age
-- of persons per period, and the outing diary. Append-only.

-- The team: operators are `outings.team_size` and `indoor_sessions.operators` (schema 1
-- and 2), the mediator `outings.mediator` and `mediator_language`.
ALTER TABLE outings ADD COLUMN legal_operator INTEGER NOT NULL DEFAULT 0 CHECK (legal_operator IN (0, 1));
ALTER TABLE indoor_sessions ADD COLUMN mediator INTEGER NOT NULL DEFAULT 0 CHECK (mediator IN (0, 1));
ALTER TABLE indoor_sessions ADD COLUMN legal_operator INTEGER NOT NULL DEFAULT 0 CHECK (legal_operator IN (0, 1));

-- An outing that is part of the national street-prostitution mapping.
ALTER TABLE outings ADD COLUMN mapping INTEGER NOT NULL DEFAULT 0 CHECK (mapping IN (0, 1));

-- People seen at a stop but not approached, by gender (one tap each).
ALTER TABLE stops ADD COLUMN presences_m INTEGER NOT NULL DEFAULT 0 CHECK (presences_m >= 0);
ALTER TABLE stops ADD COLUMN presences_f INTEGER NOT NULL DEFAULT 0 CHECK (presences_f >= 0);
ALTER TABLE stops ADD COLUMN presences_t INTEGER NOT NULL DEFAULT 0 CHECK (presences_t >= 0);

-- Labour outreach: the sector and kind of place of a stop (its contacts' default) or of
-- one contact (its own), and whether the stop was a joint inspection with the labour
-- inspectorate. Codes of LabourSector and LabourSetting.
ALTER TABLE stops ADD COLUMN sector TEXT;
ALTER TABLE stops ADD COLUMN setting TEXT;
ALTER TABLE stops ADD COLUMN joint_inspection INTEGER NOT NULL DEFAULT 0 CHECK (joint_inspection IN (0, 1));
ALTER TABLE contacts ADD COLUMN sector TEXT;
ALTER TABLE contacts ADD COLUMN setting TEXT;

-- Asylum seekers and protection holders on every kind of contact: persons reached by a
-- call, and persons contacted in massage centres (meetings had it since schema 2).
ALTER TABLE indoor_attempts ADD COLUMN protection TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE massage_contacts ADD COLUMN protection TEXT NOT NULL DEFAULT 'unknown';

-- Message campaigns: an attempt tagged with a campaign and the message's language.
ALTER TABLE indoor_attempts ADD COLUMN campaign TEXT;
ALTER TABLE indoor_attempts ADD COLUMN message_language TEXT;

-- Informative group sessions (sensibilizzazione): head counts only, never who.
CREATE TABLE info_sessions (
    id                TEXT PRIMARY KEY,  -- random UUID, also the sync identity
    unit_id           TEXT NOT NULL REFERENCES units(id),
    date              TEXT NOT NULL,     -- YYYY-MM-DD, Europe/Rome
    province          TEXT NOT NULL,
    comune            TEXT,
    place             TEXT NOT NULL,     -- SessionPlace code
    themes            INTEGER NOT NULL DEFAULT 0,  -- bit i = SessionTheme::ALL[i]
    languages         INTEGER NOT NULL DEFAULT 0,  -- bit i = Language::ALL[i]
    participants_m    INTEGER NOT NULL DEFAULT 0 CHECK (participants_m >= 0),
    participants_f    INTEGER NOT NULL DEFAULT 0 CHECK (participants_f >= 0),
    participants_t    INTEGER NOT NULL DEFAULT 0 CHECK (participants_t >= 0),
    protection_m      INTEGER NOT NULL DEFAULT 0 CHECK (protection_m BETWEEN 0 AND participants_m),
    protection_f      INTEGER NOT NULL DEFAULT 0 CHECK (protection_f BETWEEN 0 AND participants_f),
    protection_t      INTEGER NOT NULL DEFAULT 0 CHECK (protection_t BETWEEN 0 AND participants_t),
    operators         INTEGER NOT NULL DEFAULT 1 CHECK (operators BETWEEN 1 AND 50),
    mediator          INTEGER NOT NULL DEFAULT 0 CHECK (mediator IN (0, 1)),
    mediator_language TEXT,
    legal_operator    INTEGER NOT NULL DEFAULT 0 CHECK (legal_operator IN (0, 1)),
    started_at        TEXT,
    ended_at          TEXT,
    revision          INTEGER NOT NULL DEFAULT 1,
    synced_revision   INTEGER NOT NULL DEFAULT 0,
    import_id         INTEGER REFERENCES imports(id),
    updated_at        TEXT NOT NULL
);
CREATE INDEX info_sessions_by_date ON info_sessions(date);

-- An outing's diary: the unit's own words (observations, new nationalities, violence,
-- turnover). Encrypted with the rest, never synced; exported only by the unit itself.
CREATE TABLE outing_notes (
    id         INTEGER PRIMARY KEY,
    outing_id  TEXT NOT NULL REFERENCES outings(id) ON DELETE CASCADE,
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    written_at TEXT NOT NULL
);
CREATE INDEX outing_notes_by_outing ON outing_notes(outing_id);

-- Persons per period gain their age band (as the register has it, '' when unknown), so
-- the reports can print age bands by gender. Rebuilt with the column in their keys.
DROP TRIGGER IF EXISTS person_periods_in;
DROP TRIGGER IF EXISTS person_periods_out;
DROP TRIGGER IF EXISTS person_periods_fixed;
CREATE TABLE person_periods_10 (
    period      TEXT NOT NULL,
    activity    TEXT NOT NULL,
    province    TEXT NOT NULL,
    shift       TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    nationality TEXT NOT NULL,
    gender      TEXT NOT NULL,
    minor       INTEGER NOT NULL,
    new         INTEGER NOT NULL,
    protection  INTEGER NOT NULL,
    age         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, period, activity, province, shift)
) WITHOUT ROWID;
INSERT INTO person_periods_10
SELECT pp.period, pp.activity, pp.province, pp.shift, pp.person_id, pp.nationality, pp.gender, pp.minor, pp.new,
       pp.protection, coalesce(p.age_band, '')
FROM person_periods pp JOIN persons p ON p.id = pp.person_id;
DROP TABLE person_periods;
ALTER TABLE person_periods_10 RENAME TO person_periods;

DROP TABLE period_cells;
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
    age         TEXT NOT NULL,
    persons     INTEGER NOT NULL CHECK (persons > 0),
    PRIMARY KEY (period, activity, province, shift, nationality, gender, minor, new, protection, age)
) WITHOUT ROWID;
INSERT INTO period_cells
SELECT period, activity, province, shift, nationality, gender, minor, new, protection, age, count(*)
FROM person_periods GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

CREATE TRIGGER person_periods_in AFTER INSERT ON person_periods BEGIN
    INSERT INTO period_cells VALUES (NEW.period, NEW.activity, NEW.province, NEW.shift, NEW.nationality,
        NEW.gender, NEW.minor, NEW.new, NEW.protection, NEW.age, 1)
    ON CONFLICT DO UPDATE SET persons = persons + 1;
END;
CREATE TRIGGER person_periods_out AFTER DELETE ON person_periods BEGIN
    DELETE FROM period_cells WHERE persons = 1
        AND (period, activity, province, shift, nationality, gender, minor, new, protection, age)
          = (OLD.period, OLD.activity, OLD.province, OLD.shift, OLD.nationality, OLD.gender, OLD.minor, OLD.new,
             OLD.protection, OLD.age);
    UPDATE period_cells SET persons = persons - 1
        WHERE (period, activity, province, shift, nationality, gender, minor, new, protection, age)
          = (OLD.period, OLD.activity, OLD.province, OLD.shift, OLD.nationality, OLD.gender, OLD.minor, OLD.new,
             OLD.protection, OLD.age);
END;
CREATE TRIGGER person_periods_fixed BEFORE UPDATE ON person_periods BEGIN
    SELECT RAISE(ABORT, 'person_periods rows are replaced, never updated');
END;
