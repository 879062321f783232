-- Lanterna schema 9: emersion beyond outreach. Desk sessions are outings of activity
-- 'desk' (the desk's comune is their one stop); identification interviews, what becomes
-- known of each person interviewed, Referral requests, outcomes of contacts and helpline
-- reports. Append-only. Nothing here is synced as is: the phone sends counts per period.

-- The language the desk's cultural mediator spoke (a code of the leaflet languages).
ALTER TABLE outings ADD COLUMN mediator_language TEXT;

-- What came of a contact or an indoor meeting: bit i = ContactOutcome::ALL[i].
ALTER TABLE contacts ADD COLUMN outcomes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indoor_meetings ADD COLUMN outcomes INTEGER NOT NULL DEFAULT 0;
-- The person of the register an indoor meeting was with, when the worker knows them
-- (kept by the store, as merges move it; no foreign key, so the column stays droppable).
ALTER TABLE indoor_meetings ADD COLUMN person_id INTEGER;

-- One identification interview with a person of the register.
CREATE TABLE interviews (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    date        TEXT NOT NULL,      -- YYYY-MM-DD
    province    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('social', 'referral')),
    recorded_at TEXT NOT NULL
);
CREATE INDEX interviews_by_person ON interviews(person_id, date);
CREATE INDEX interviews_by_date ON interviews(date);

-- What became known of a person's identification on a day, each field NULL when nothing
-- new was said: the latest value of each field up to a day (by date, then id) is the
-- person's state that day. A row of an interview goes with it.
CREATE TABLE identification_facts (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    date         TEXT NOT NULL,
    interview_id INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
    verdict      TEXT CHECK (verdict IN ('yes', 'no', 'pending')),
    typology     TEXT,
    adhesion     TEXT CHECK (adhesion IN ('yes', 'no', 'waiting')),
    channel      TEXT,
    place        TEXT,
    minor        INTEGER CHECK (minor IN (0, 1)),
    indicators   INTEGER,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX identification_facts_by_person ON identification_facts(person_id, date);

-- Referral requests from the Commissione Territoriale.
CREATE TABLE referral_requests (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    received    TEXT NOT NULL,
    province    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (person_id, received)
);

-- Reports from the national anti-trafficking helpline (Numero Verde).
CREATE TABLE helpline_reports (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,
    province    TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality TEXT NOT NULL CHECK (length(nationality) = 2),
    known       INTEGER NOT NULL CHECK (known IN (0, 1)),
    source      TEXT NOT NULL CHECK (source IN ('own', 'agency')),
    help        INTEGER NOT NULL DEFAULT 0,   -- bit i = HelpKind::ALL[i]
    outcome     TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX helpline_reports_by_date ON helpline_reports(date);

-- A merge moves the absorbed person's interviews, facts, requests and meetings too: their
-- ids, for undo ({"interviews": [..], "facts": [..], "requests": [..], "meetings": [..]}).
ALTER TABLE person_merges ADD COLUMN emersion TEXT;
