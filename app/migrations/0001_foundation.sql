-- Foundation: the KMD Aktiv extract, MI 38 tasks and their counters, users, sessions, tokens, audit.
-- Timestamps are UTC RFC 3339 text; amounts are whole øre; kommune is the 3-digit number.

CREATE TABLE kommune (
    nr            INTEGER PRIMARY KEY,
    navn          TEXT    NOT NULL,
    -- bumped in the same transaction as every change to the kommune's package counts
    version       INTEGER NOT NULL DEFAULT 0,
    deadline_med  TEXT    NOT NULL DEFAULT '2023-01-25',
    deadline_uden TEXT,
    fordeling     TEXT    NOT NULL DEFAULT 'opgavepakkestyret'
        CHECK (fordeling IN ('sideloebende', 'fokuseret', 'rapportstyret', 'opgavepakkestyret'))
);

CREATE TABLE person (
    kommune INTEGER NOT NULL REFERENCES kommune (nr),
    cpr     TEXT    NOT NULL,
    navn    TEXT    NOT NULL,
    PRIMARY KEY (kommune, cpr)
) WITHOUT ROWID;

CREATE TABLE sagsmappe (
    kommune       INTEGER NOT NULL,
    sagsmappe_id  TEXT    NOT NULL,
    cpr           TEXT    NOT NULL,
    sagsbehandler TEXT,
    PRIMARY KEY (kommune, sagsmappe_id),
    FOREIGN KEY (kommune, cpr) REFERENCES person (kommune, cpr)
) WITHOUT ROWID;
CREATE INDEX sagsmappe_by_cpr ON sagsmappe (kommune, cpr);

CREATE TABLE bevilling (
    kommune        INTEGER NOT NULL,
    bevilling_id   TEXT    NOT NULL,
    sagsmappe_id   TEXT    NOT NULL,
    bevillingstype TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('aktiv', 'afsluttet')),
    fra            TEXT    NOT NULL,
    til            TEXT,
    PRIMARY KEY (kommune, bevilling_id),
    FOREIGN KEY (kommune, sagsmappe_id) REFERENCES sagsmappe (kommune, sagsmappe_id)
) WITHOUT ROWID;
CREATE INDEX bevilling_by_sagsmappe ON bevilling (kommune, sagsmappe_id);

CREATE TABLE ydelse (
    kommune      INTEGER NOT NULL,
    ydelse_id    TEXT    NOT NULL,
    bevilling_id TEXT    NOT NULL,
    ydelsesart   TEXT    NOT NULL,
    sats         INTEGER NOT NULL,
    PRIMARY KEY (kommune, ydelse_id),
    FOREIGN KEY (kommune, bevilling_id) REFERENCES bevilling (kommune, bevilling_id)
) WITHOUT ROWID;
CREATE INDEX ydelse_by_bevilling ON ydelse (kommune, bevilling_id);

CREATE TABLE udbetaling (
    kommune       INTEGER NOT NULL,
    udbetaling_id TEXT    NOT NULL,
    ydelse_id     TEXT    NOT NULL,
    dato          TEXT    NOT NULL,
    beloeb        INTEGER NOT NULL,
    PRIMARY KEY (kommune, udbetaling_id),
    FOREIGN KEY (kommune, ydelse_id) REFERENCES ydelse (kommune, ydelse_id)
) WITHOUT ROWID;

CREATE TABLE fordring (
    kommune                  INTEGER NOT NULL,
    fordring_id              TEXT    NOT NULL,
    cpr                      TEXT    NOT NULL,
    bevilling_id             TEXT,
    ydelsesreference         TEXT,
    kravtype                 TEXT,
    kravtype_bekraeftet      INTEGER NOT NULL DEFAULT 0,
    udbetalingsparagraf      TEXT,
    tilbagebetalingsparagraf TEXT,
    hovedstol                INTEGER NOT NULL,
    stiftet                  TEXT    NOT NULL,
    PRIMARY KEY (kommune, fordring_id),
    FOREIGN KEY (kommune, cpr) REFERENCES person (kommune, cpr)
) WITHOUT ROWID;
CREATE INDEX fordring_by_cpr ON fordring (kommune, cpr);

CREATE TABLE daekning (
    kommune     INTEGER NOT NULL,
    daekning_id TEXT    NOT NULL,
    fordring_id TEXT    NOT NULL,
    art         TEXT    NOT NULL CHECK (art IN ('daekning', 'afskrivning')),
    beloeb      INTEGER NOT NULL,
    dato        TEXT    NOT NULL,
    modtaget    TEXT    NOT NULL,
    kilde       TEXT    NOT NULL CHECK (kilde IN ('udtraek', 'api')),
    -- set when the dækning has been booked on the fordring (at once, or when its ventetrin ends)
    behandlet   TEXT,
    -- where the fordring's task was before and after this dækning arrived (the API's answer)
    pakke_foer  INTEGER,
    pakke_efter INTEGER,
    PRIMARY KEY (kommune, daekning_id),
    FOREIGN KEY (kommune, fordring_id) REFERENCES fordring (kommune, fordring_id)
) WITHOUT ROWID;
CREATE INDEX daekning_by_fordring ON daekning (kommune, fordring_id);

-- One row per task. "opret" = Opret fordringssag (one per defective fordring, ever);
-- "daekning" = Dækninger og afskrivninger af KMD Aktiv fordringer (package 09, one per dækning).
CREATE TABLE task (
    id            INTEGER PRIMARY KEY,
    kommune       INTEGER NOT NULL REFERENCES kommune (nr),
    kind          TEXT    NOT NULL CHECK (kind IN ('opret', 'daekning')),
    fordring_id   TEXT    NOT NULL,
    daekning_id   TEXT,
    opgavepakke   INTEGER NOT NULL CHECK (opgavepakke BETWEEN 1 AND 17),
    defects       INTEGER NOT NULL,
    is_open       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    closed_at     TEXT,
    closed_by     TEXT,
    -- copied from the fordring so a package lists, sorts and filters without joins
    cpr           TEXT    NOT NULL,
    hovedstol     INTEGER NOT NULL,
    stiftet       TEXT    NOT NULL,
    sagsbehandler TEXT,
    -- "Næste opgave" hands a task to one caseworker for a while so two never get the same one
    claimed_by    TEXT,
    claimed_until TEXT,
    FOREIGN KEY (kommune, fordring_id) REFERENCES fordring (kommune, fordring_id)
);
CREATE UNIQUE INDEX task_opret_per_fordring ON task (kommune, fordring_id) WHERE kind = 'opret';
CREATE UNIQUE INDEX task_per_daekning ON task (kommune, daekning_id) WHERE kind = 'daekning';
-- "Næste opgave" and the package list: oldest fordring first, and per caseworker (sideløbende).
CREATE INDEX task_open_by_age ON task (kommune, opgavepakke, stiftet, id) WHERE is_open = 1;
CREATE INDEX task_open_by_caseworker ON task (kommune, opgavepakke, sagsbehandler, stiftet) WHERE is_open = 1;
CREATE INDEX task_claimed ON task (claimed_by) WHERE claimed_by IS NOT NULL;
-- The dækninger waiting in 09 for a fordring's task (processed when it is resolved).
CREATE INDEX task_daekning_by_fordring ON task (kommune, fordring_id) WHERE kind = 'daekning';

CREATE TABLE task_history (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES task (id),
    at        TEXT    NOT NULL,
    event     TEXT    NOT NULL CHECK (event IN ('oprettet', 'flyttet', 'loest', 'behandlet', 'afvist')),
    from_pakke INTEGER,
    to_pakke  INTEGER,
    cause     TEXT    NOT NULL,
    actor     TEXT    NOT NULL
);
CREATE INDEX task_history_by_task ON task_history (task_id);

-- Open tasks per kommune and package, kept in the same transaction as every change.
CREATE TABLE package_count (
    kommune     INTEGER NOT NULL REFERENCES kommune (nr),
    opgavepakke INTEGER NOT NULL CHECK (opgavepakke BETWEEN 1 AND 17),
    open_tasks  INTEGER NOT NULL DEFAULT 0 CHECK (open_tasks >= 0),
    PRIMARY KEY (kommune, opgavepakke)
) WITHOUT ROWID;

CREATE TABLE app_user (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('sagsbehandler', 'projektleder', 'supportberettiget',
                                                  'fagfaellesskab', 'leverandoer', 'kombit', 'styregruppe')),
    kommune        INTEGER REFERENCES kommune (nr),
    fagfaellesskab TEXT,
    is_demo        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    CHECK (role NOT IN ('sagsbehandler', 'projektleder', 'supportberettiget') OR kommune IS NOT NULL),
    CHECK (role <> 'fagfaellesskab' OR fagfaellesskab IS NOT NULL)
);

CREATE TABLE session (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    kommune    INTEGER NOT NULL REFERENCES kommune (nr),
    name       TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    UNIQUE (kommune, name)
);

-- Who read or changed which person's data, and every refused access.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    kommune INTEGER,
    cpr     TEXT,
    action  TEXT    NOT NULL,
    detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_cpr ON audit_log (cpr) WHERE cpr IS NOT NULL;
