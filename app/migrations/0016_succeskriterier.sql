-- KOMBIT's success criteria (succeskriterier, seed 003; issue 10): objectives, numbered criteria
-- with a target threshold and a source, measuring points, which points apply to which criterion,
-- and the measurements KOMBIT records. The demo loads the seed's criteria (fixtures::demo::succes).

CREATE TABLE succes_maalsaetning (
    bogstav    TEXT PRIMARY KEY CHECK (length(bogstav) = 1),
    titel      TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- Measuring points (måletidspunkter), numbered in their order: "Start bølge 1" … "KY afsluttet".
CREATE TABLE succes_maalepunkt (
    nr         INTEGER PRIMARY KEY CHECK (nr BETWEEN 1 AND 99),
    navn       TEXT NOT NULL,
    planlagt   TEXT,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- The target is a threshold: the latest measurement is compared (>= or <=) with maal_vaerdi.
-- `version` guards KOMBIT's edits: a change made on an older version is refused (conflict).
CREATE TABLE succeskriterium (
    id            INTEGER PRIMARY KEY,
    maalsaetning  TEXT    NOT NULL REFERENCES succes_maalsaetning (bogstav),
    nummer        TEXT    NOT NULL,
    tekst         TEXT    NOT NULL,
    sammenligning TEXT    NOT NULL CHECK (sammenligning IN ('>=', '<=')),
    maal_vaerdi   REAL    NOT NULL,
    enhed         TEXT    NOT NULL,
    kilde         TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    changed_by    TEXT    NOT NULL,
    changed_at    TEXT    NOT NULL,
    CONSTRAINT succeskriterium_nummer UNIQUE (nummer)
);

CREATE TABLE succeskriterium_maalepunkt (
    kriterium_id INTEGER NOT NULL REFERENCES succeskriterium (id),
    maalepunkt   INTEGER NOT NULL REFERENCES succes_maalepunkt (nr),
    PRIMARY KEY (kriterium_id, maalepunkt)
) WITHOUT ROWID;

CREATE TABLE succes_maaling (
    id           INTEGER PRIMARY KEY,
    kriterium_id INTEGER NOT NULL REFERENCES succeskriterium (id),
    maalepunkt   INTEGER NOT NULL REFERENCES succes_maalepunkt (nr),
    vaerdi       REAL    NOT NULL,
    stikproeve   INTEGER CHECK (stikproeve IS NULL OR stikproeve >= 1),
    maalt        TEXT    NOT NULL,
    kilde        TEXT    NOT NULL,
    recorded_by  TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL
);
CREATE INDEX succes_maaling_by_kriterium ON succes_maaling (kriterium_id, maalt);
