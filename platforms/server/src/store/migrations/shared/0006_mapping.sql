-- Schema 6: the dates of national street-prostitution mapping nights, set by a
-- coordinator and published to the phones with the named periods (GET /api/v1/periods).
CREATE TABLE mapping_nights (
    night      {date} PRIMARY KEY,
    created_at TEXT NOT NULL
);
