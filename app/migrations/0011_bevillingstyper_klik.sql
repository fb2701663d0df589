-- UI 04 bevillingstyper, the kommune's KLIK plan and the effort estimate (issue 9).

-- KOMBIT's catalogue of KLIK tasks; dates relative to a kommune's go-live (domain::klik).
CREATE TABLE klik_opgave (
    id                 INTEGER PRIMARY KEY,
    master_id          INTEGER UNIQUE,
    kode               TEXT    NOT NULL UNIQUE,
    titel              TEXT    NOT NULL,
    fase               TEXT    NOT NULL DEFAULT '',
    tema               TEXT    NOT NULL DEFAULT '',
    prioritet          TEXT    NOT NULL DEFAULT '',
    sts                INTEGER NOT NULL DEFAULT 0,
    boelger            TEXT    NOT NULL DEFAULT '',
    slut_offset        INTEGER NOT NULL,
    start_offset       INTEGER NOT NULL CHECK (start_offset <= 0),
    maal               TEXT    NOT NULL DEFAULT '',
    resultat           TEXT    NOT NULL DEFAULT '',
    anbefalet_udfoerer TEXT    NOT NULL DEFAULT '',
    changed_by         TEXT    NOT NULL DEFAULT 'system',
    changed_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- UI 04 exactly as seed 000 states it.
INSERT INTO klik_opgave (master_id, kode, titel, fase, tema, prioritet, sts, boelger, slut_offset, start_offset,
                         maal, resultat, anbefalet_udfoerer)
VALUES (447, 'UI 04', 'UI 04 Tag stilling til bevillingstyper i KMD Aktiv (B5)', 'Fase 1: Opstart',
        'Ud- og indfasning', 'Prioritet 2', 0, 'KY - Bølge 5', -49, -217,
        'Målet med opgaven er, at kommunen får etableret et overblik over, hvilke bevillingstyper kommuner benytter i KMD Aktiv, samt hvorvidt disse alle skal videreføres i KY.',
        'At kommunen har gennemgået brugen af bevillingstyper i KY. At kommunen har plan for håndteringen af ''andre ydelser'' - både for hvis de skal i KY, men også hvis de skal til et andet system.',
        'KY-projektleder og evt. administratorer/superbrugere af KMD Aktiv.');

-- MI 38 (seed 002): its end is the kommune's med-dækninger deadline; without one, the offset.
INSERT INTO klik_opgave (master_id, kode, titel, fase, tema, prioritet, sts, boelger, slut_offset, start_offset,
                         maal, resultat, anbefalet_udfoerer)
VALUES (NULL, 'MI 38', 'MI 38 Foretag resterende sagstilknytning samt angivelse af KMD Aktiv referencer', '',
        'Migrering', 'B', 0, '', -30, -120,
        'Alle KMD Aktiv fordringer er sagstilknyttet og har en ydelsesreference, så KY kan indtægtsføre og indberette dækninger.',
        'Ingen Opret fordringssag- og ingen 09-opgaver tilbage; MI 38 markeres fuldført i KLIK.',
        'Kommunens projektleder og/eller faglige ledere med sagsbehandlere, økonomi- og opkrævningsmedarbejdere.');

-- A kommune's status on the tasks whose status does not follow from the work in the app.
CREATE TABLE klik_status (
    kommune    INTEGER NOT NULL REFERENCES kommune (nr),
    opgave_id  INTEGER NOT NULL REFERENCES klik_opgave (id) ON DELETE CASCADE,
    status     TEXT    NOT NULL CHECK (status IN ('ikke_startet', 'i_gang', 'faerdig')),
    changed_by TEXT    NOT NULL,
    changed_at TEXT    NOT NULL,
    PRIMARY KEY (kommune, opgave_id)
) WITHOUT ROWID;

-- KOMBIT's catalogue of KY ydelsestyper (the targets of a match).
CREATE TABLE ky_ydelsestype (
    kode        TEXT    PRIMARY KEY,
    navn        TEXT    NOT NULL,
    -- seeded for the demo: a plausible catalogue, not KOMBIT's
    illustrativ INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The kommune's decision per bevillingstype (the latest; every version in the history).
CREATE TABLE bevillingstype_beslutning (
    kommune        INTEGER NOT NULL REFERENCES kommune (nr),
    bevillingstype TEXT    NOT NULL,
    valg           TEXT    NOT NULL CHECK (valg IN ('match', 'anden_ydelse', 'nedlaeg', 'flyt')),
    ky_ydelsestype TEXT,
    system         TEXT,
    afdeling       TEXT    NOT NULL,
    begrundelse    TEXT    NOT NULL,
    decided_by     TEXT    NOT NULL,
    decided_at     TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (kommune, bevillingstype)
) WITHOUT ROWID;

CREATE TABLE bevillingstype_beslutning_historik (
    id             INTEGER PRIMARY KEY,
    kommune        INTEGER NOT NULL,
    bevillingstype TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    valg           TEXT    NOT NULL,
    ky_ydelsestype TEXT,
    system         TEXT,
    afdeling       TEXT    NOT NULL,
    begrundelse    TEXT    NOT NULL,
    decided_by     TEXT    NOT NULL,
    decided_at     TEXT    NOT NULL,
    UNIQUE (kommune, bevillingstype, version)
);

-- Plan items of the decisions that need work.
CREATE TABLE bevillingstype_planpunkt (
    id             INTEGER PRIMARY KEY,
    kommune        INTEGER NOT NULL REFERENCES kommune (nr),
    bevillingstype TEXT    NOT NULL,
    hvad           TEXT    NOT NULL,
    hvem           TEXT    NOT NULL,
    forfald        TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'ikke_startet' CHECK (status IN ('ikke_startet', 'i_gang', 'faerdig')),
    created_by     TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    changed_by     TEXT,
    changed_at     TEXT
);
CREATE INDEX bevillingstype_planpunkt_by_kommune ON bevillingstype_planpunkt (kommune, bevillingstype);

-- The kommune's manual-entry estimate (domain::estimat): the calculator's input and the
-- mapping from ydelsesart to case type, as JSON.
CREATE TABLE estimat (
    kommune    INTEGER PRIMARY KEY REFERENCES kommune (nr),
    input      TEXT    NOT NULL,
    mapping    TEXT    NOT NULL DEFAULT '[]',
    changed_by TEXT    NOT NULL,
    changed_at TEXT    NOT NULL
);

-- The inventory's figures per bevillingstype, kept: computed from the extract by the import (in
-- its transaction) and again when the project lead asks; the page reads these rows only.
CREATE TABLE bevillingstype_tal (
    kommune          INTEGER NOT NULL REFERENCES kommune (nr),
    bevillingstype   TEXT    NOT NULL,
    bevillinger      INTEGER NOT NULL,
    aktive           INTEGER NOT NULL,
    personer         INTEGER NOT NULL,
    aktive_personer  INTEGER NOT NULL,
    ydelsesarter     TEXT    NOT NULL,
    udbetalinger     INTEGER NOT NULL,
    udbetalt_oere    INTEGER NOT NULL,
    open_tasks       INTEGER NOT NULL,
    PRIMARY KEY (kommune, bevillingstype)
) WITHOUT ROWID;

-- When the kommune's figures were computed, and the extract's latest udbetaling (the end of the
-- 12 months counted).
CREATE TABLE bevillingstype_opgjort (
    kommune          INTEGER PRIMARY KEY REFERENCES kommune (nr),
    opgjort_at       TEXT    NOT NULL,
    udbetalinger_til TEXT
);

-- The drill-down reads one type's bevillinger.
CREATE INDEX bevilling_by_type ON bevilling (kommune, bevillingstype);
