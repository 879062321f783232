-- Lanterna schema 2: indoor mapping. Append-only.

-- Keys the unit keeps to itself (inside the encrypted file), e.g. the HMAC key that turns
-- an ad's phone number into a hash that can be compared but not reversed.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE indoor_sessions (
    id                TEXT PRIMARY KEY,  -- random UUID, also the sync identity
    unit_id           TEXT NOT NULL REFERENCES units(id),
    date              TEXT NOT NULL,     -- YYYY-MM-DD, Europe/Rome
    province          TEXT NOT NULL,
    operators         INTEGER NOT NULL DEFAULT 1 CHECK (operators BETWEEN 1 AND 50),
    mediator_language TEXT,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    started_at        TEXT,
    ended_at          TEXT,
    revision          INTEGER NOT NULL DEFAULT 1,
    synced_revision   INTEGER NOT NULL DEFAULT 0,
    import_id         INTEGER REFERENCES imports(id),
    updated_at        TEXT NOT NULL
);
CREATE INDEX indoor_sessions_by_date ON indoor_sessions(date);

CREATE TABLE indoor_ads (
    id           INTEGER PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES indoor_sessions(id) ON DELETE CASCADE,
    site         TEXT NOT NULL,
    province     TEXT NOT NULL,
    comune       TEXT,
    gender       TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality  TEXT NOT NULL CHECK (length(nationality) = 2),
    declared_age INTEGER CHECK (declared_age BETWEEN 14 AND 99),
    risky        INTEGER NOT NULL DEFAULT 0 CHECK (risky IN (0, 1)),
    number_hash  BLOB CHECK (number_hash IS NULL OR length(number_hash) = 32),  -- HMAC-SHA256, never the number
    recorded_at  TEXT NOT NULL
);
CREATE INDEX indoor_ads_by_session ON indoor_ads(session_id);
CREATE INDEX indoor_ads_by_number ON indoor_ads(number_hash) WHERE number_hash IS NOT NULL;

-- Calls and messages. Gender, nationality and province are the ad's, copied so that
-- imported logs (which have no ads to point at) count the same way.
CREATE TABLE indoor_attempts (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES indoor_sessions(id) ON DELETE CASCADE,
    ad_id       INTEGER REFERENCES indoor_ads(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    province    TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality TEXT NOT NULL CHECK (length(nationality) = 2),
    recorded_at TEXT NOT NULL
);
CREATE INDEX indoor_attempts_by_session ON indoor_attempts(session_id);
CREATE INDEX indoor_attempts_by_ad ON indoor_attempts(ad_id);

-- Persons met after a contact: the details of a street contact.
CREATE TABLE indoor_meetings (
    id             INTEGER PRIMARY KEY,
    session_id     TEXT NOT NULL REFERENCES indoor_sessions(id) ON DELETE CASCADE,
    ad_id          INTEGER REFERENCES indoor_ads(id) ON DELETE SET NULL,
    province       TEXT NOT NULL,
    gender         TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality    TEXT NOT NULL CHECK (length(nationality) = 2),
    age_band       TEXT,
    first_contact  INTEGER CHECK (first_contact IN (0, 1)),
    protection     TEXT NOT NULL DEFAULT 'unknown',
    information    INTEGER NOT NULL DEFAULT 0,
    listening      INTEGER NOT NULL DEFAULT 0,
    referrals      INTEGER NOT NULL DEFAULT 0,
    accompaniments INTEGER NOT NULL DEFAULT 0,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX indoor_meetings_by_session ON indoor_meetings(session_id);

CREATE TABLE indoor_meeting_items (
    meeting_id INTEGER NOT NULL REFERENCES indoor_meetings(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    language   TEXT NOT NULL DEFAULT '',
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (meeting_id, kind, language)
) WITHOUT ROWID;

-- Persons contacted in a massage centre, one row each.
CREATE TABLE massage_contacts (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES indoor_sessions(id) ON DELETE CASCADE,
    province    TEXT NOT NULL,
    comune      TEXT,
    gender      TEXT NOT NULL CHECK (gender IN ('M', 'F', 'T')),
    nationality TEXT NOT NULL CHECK (length(nationality) = 2),
    recorded_at TEXT NOT NULL
);
CREATE INDEX massage_contacts_by_session ON massage_contacts(session_id);
