-- Lanterna schema 5: services as events. Append-only.
-- Accompaniments, referrals, listening talks and legal consultations are counted per
-- event, several per person per contact: one row per kind of event with how many times it
-- happened. Information stays a flag on the person.

-- '' stands for "none": the service of talks and consultations, a sub-type not said.
CREATE TABLE contact_events (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('accompaniment', 'referral', 'listening', 'legal_consultation')),
    service    TEXT NOT NULL DEFAULT '',
    subtype    TEXT NOT NULL DEFAULT '',
    count      INTEGER NOT NULL CHECK (count >= 1),
    CHECK ((kind IN ('accompaniment', 'referral')) = (service <> '')),
    CHECK (service <> '' OR subtype = ''),
    PRIMARY KEY (contact_id, kind, service, subtype)
) WITHOUT ROWID;

CREATE TABLE indoor_meeting_events (
    meeting_id INTEGER NOT NULL REFERENCES indoor_meetings(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('accompaniment', 'referral', 'listening', 'legal_consultation')),
    service    TEXT NOT NULL DEFAULT '',
    subtype    TEXT NOT NULL DEFAULT '',
    count      INTEGER NOT NULL CHECK (count >= 1),
    CHECK ((kind IN ('accompaniment', 'referral')) = (service <> '')),
    CHECK (service <> '' OR subtype = ''),
    PRIMARY KEY (meeting_id, kind, service, subtype)
) WITHOUT ROWID;

-- What schemas 1-4 stored becomes one event each: the listening flag one talk, each bit of
-- the referrals and accompaniments (bit i = ServiceKind::ALL[i]) one event to that service.
INSERT INTO contact_events (contact_id, kind, count)
SELECT id, 'listening', 1 FROM contacts WHERE listening;
INSERT INTO contact_events (contact_id, kind, service, count)
WITH services(bit, service) AS (VALUES (1, 'legal'), (2, 'health'), (4, 'work'), (8, 'other'))
SELECT c.id, k.kind, s.service, 1
FROM contacts c JOIN (SELECT 'referral' AS kind UNION ALL SELECT 'accompaniment') k JOIN services s
WHERE (CASE k.kind WHEN 'referral' THEN c.referrals ELSE c.accompaniments END) & s.bit;

INSERT INTO indoor_meeting_events (meeting_id, kind, count)
SELECT id, 'listening', 1 FROM indoor_meetings WHERE listening;
INSERT INTO indoor_meeting_events (meeting_id, kind, service, count)
WITH services(bit, service) AS (VALUES (1, 'legal'), (2, 'health'), (4, 'work'), (8, 'other'))
SELECT m.id, k.kind, s.service, 1
FROM indoor_meetings m JOIN (SELECT 'referral' AS kind UNION ALL SELECT 'accompaniment') k JOIN services s
WHERE (CASE k.kind WHEN 'referral' THEN m.referrals ELSE m.accompaniments END) & s.bit;

-- The flags and bit sets now live in the events.
ALTER TABLE contacts DROP COLUMN listening;
ALTER TABLE contacts DROP COLUMN referrals;
ALTER TABLE contacts DROP COLUMN accompaniments;
ALTER TABLE indoor_meetings DROP COLUMN listening;
ALTER TABLE indoor_meetings DROP COLUMN referrals;
ALTER TABLE indoor_meetings DROP COLUMN accompaniments;
