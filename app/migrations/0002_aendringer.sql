-- Ændringsønsker: requests, the kommuner that want them, their status history, scores, weight
-- sets (versioned; each adoption keeps the ranking it produced), notices, appeals, search.

CREATE TABLE aendring (
    id                INTEGER PRIMARY KEY,
    key               TEXT    NOT NULL UNIQUE,
    titel             TEXT    NOT NULL,
    udfordring        TEXT    NOT NULL,
    ydelsesarter      TEXT    NOT NULL,
    omfang            TEXT    NOT NULL,
    workaround        TEXT    NOT NULL,
    request_type      TEXT    NOT NULL,
    beskrivelse       TEXT    NOT NULL,
    minsupport_sagsid TEXT,
    kommune           INTEGER NOT NULL REFERENCES kommune (nr),
    requester_id      INTEGER REFERENCES app_user (id),
    fagfaellesskab    TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    theme             TEXT    NOT NULL DEFAULT '',
    oeir              INTEGER NOT NULL DEFAULT 0,
    legacy            INTEGER NOT NULL DEFAULT 0,
    duplicate_of      INTEGER REFERENCES aendring (id),
    filed_at          TEXT    NOT NULL,
    closed_at         TEXT,
    estimate_hours    INTEGER,
    estimate_note     TEXT,
    decision_note     TEXT,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX aendring_by_status ON aendring (status, filed_at);
CREATE INDEX aendring_by_kommune ON aendring (kommune, status);

-- The kommuner that want a request: the requester's, plus those whose duplicates were merged in.
CREATE TABLE aendring_kommune (
    aendring_id INTEGER NOT NULL REFERENCES aendring (id),
    kommune     INTEGER NOT NULL,
    via         INTEGER REFERENCES aendring (id),
    PRIMARY KEY (aendring_id, kommune)
) WITHOUT ROWID;

CREATE TABLE aendring_event (
    id          INTEGER PRIMARY KEY,
    aendring_id INTEGER NOT NULL REFERENCES aendring (id),
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX aendring_event_by_request ON aendring_event (aendring_id);

-- One score per request, criterion and scorer; a new score replaces the scorer's old one.
CREATE TABLE score (
    aendring_id INTEGER NOT NULL REFERENCES aendring (id),
    criterion   TEXT    NOT NULL,
    scorer_id   INTEGER NOT NULL REFERENCES app_user (id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    at          TEXT    NOT NULL,
    PRIMARY KEY (aendring_id, criterion, scorer_id)
) WITHOUT ROWID;

CREATE TABLE weight_set (
    version    INTEGER PRIMARY KEY,
    weights    TEXT    NOT NULL,  -- JSON array of 9 numbers in criterion order
    adopted_at TEXT    NOT NULL,
    adopted_by TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);

-- The ranking a weight set produced when it was adopted, so it stays reproducible.
CREATE TABLE ranking (
    weights_version INTEGER NOT NULL REFERENCES weight_set (version),
    aendring_id     INTEGER NOT NULL REFERENCES aendring (id),
    rank            INTEGER NOT NULL,
    score           REAL    NOT NULL,
    PRIMARY KEY (weights_version, aendring_id)
) WITHOUT ROWID;

CREATE TABLE weight_draft (
    user_id    INTEGER PRIMARY KEY REFERENCES app_user (id),
    weights    TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- In-app inbox; every status change notifies the requester.
CREATE TABLE notice (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    aendring_id INTEGER REFERENCES aendring (id),
    at          TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    read_at     TEXT
);
CREATE INDEX notice_by_user ON notice (user_id, id);

-- E-mail waiting for SMTP (or written here when no SMTP is configured).
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_address TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    error      TEXT
);

CREATE TABLE appeal (
    aendring_id INTEGER PRIMARY KEY REFERENCES aendring (id),
    kommune     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    sagsid      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    at          TEXT    NOT NULL
);

ALTER TABLE app_user ADD COLUMN email TEXT;

-- Danish-aware full-text search: `terms` holds folded, stemmed words (domain::aendring::text).
CREATE VIRTUAL TABLE aendring_search USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 2');

-- Versions of changing data that clients follow live (e.g. 'aendringer': scores and statuses).
CREATE TABLE change_counter (
    name    TEXT    PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO change_counter (name, version) VALUES ('aendringer', 0);

-- Until the styregruppe adopts its own, every criterion weighs the same.
INSERT INTO weight_set (version, weights, adopted_at, adopted_by, note)
VALUES (1, '[1,1,1,1,1,1,1,1,1]', '2023-11-01T00:00:00.000Z', 'system', 'Startvægte: alle kriterier vægter ens.');
