-- no-transaction
-- The hearing (issue 10, seed 003): KOMBIT opens a hearing on material in sections; each
-- kommune's høringsansvarlig answers against a section until the deadline; KOMBIT triages every
-- submitted answer into the seed's categories with a reply. An answer for "a later version"
-- becomes an ændringsønske in the pool (`aendring_id`, shown on both pages).
--
-- The new role needs app_user's CHECK changed, which SQLite can only do by rebuilding the table
-- (sqlite.org/lang_altertable.html, "other kinds of table schema changes"): with foreign keys
-- off, outside a transaction — hence `no-transaction` above and the explicit BEGIN/COMMIT.

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE app_user_new (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('sagsbehandler', 'projektleder', 'supportberettiget',
                                                  'fagfaellesskab', 'leverandoer', 'kombit', 'styregruppe',
                                                  'hoeringsansvarlig')),
    kommune        INTEGER REFERENCES kommune (nr),
    fagfaellesskab TEXT,
    is_demo        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    email          TEXT,
    CHECK (role NOT IN ('sagsbehandler', 'projektleder', 'supportberettiget', 'hoeringsansvarlig')
           OR kommune IS NOT NULL),
    CHECK (role <> 'fagfaellesskab' OR fagfaellesskab IS NOT NULL)
);
INSERT INTO app_user_new (id, username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo,
                          created_at, email)
    SELECT id, username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo, created_at, email
    FROM app_user;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;

CREATE TABLE hoering (
    id         INTEGER PRIMARY KEY,
    title      TEXT    NOT NULL,
    material   TEXT    NOT NULL,
    -- The last day answers may be submitted (a Copenhagen date, YYYY-MM-DD).
    deadline   TEXT    NOT NULL,
    opened_by  TEXT    NOT NULL,
    opened_at  TEXT    NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'aaben' CHECK (state IN ('aaben', 'lukket'))
);

CREATE TABLE hoering_afsnit (
    id         INTEGER PRIMARY KEY,
    hoering_id INTEGER NOT NULL REFERENCES hoering (id),
    number     TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    UNIQUE (hoering_id, number)
);

CREATE TABLE hoering_svar (
    id             INTEGER PRIMARY KEY,
    hoering_id     INTEGER NOT NULL REFERENCES hoering (id),
    afsnit_id      INTEGER NOT NULL REFERENCES hoering_afsnit (id),
    kommune        INTEGER NOT NULL REFERENCES kommune (nr),
    author_id      INTEGER NOT NULL REFERENCES app_user (id),
    text           TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'kladde' CHECK (state IN ('kladde', 'indsendt')),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    -- Given at submission: the answer's number in its hearing ("svar nr. N") and the receipt.
    nr             INTEGER,
    receipt        TEXT    UNIQUE,
    submitted_at   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    -- KOMBIT's triage (domain::hoering::Triage keys) and reply.
    category       TEXT    CHECK (category IN ('allerede_i_materialet', 'ikke_relevant', 'indarbejdet_straks',
                                               'analyse_indarbejdet', 'analyse_senere_version',
                                               'analyse_ikke_relevant')),
    reply          TEXT,
    arbejdsgruppen TEXT,
    triaged_by     TEXT,
    triaged_at     TEXT,
    aendring_id    INTEGER REFERENCES aendring (id),
    CHECK (state = 'indsendt' OR category IS NULL),
    CHECK ((state = 'indsendt') = (nr IS NOT NULL)),
    UNIQUE (hoering_id, nr)
);
CREATE INDEX hoering_svar_by_kommune ON hoering_svar (hoering_id, kommune, afsnit_id);
CREATE INDEX hoering_svar_untriaged ON hoering_svar (hoering_id, nr) WHERE state = 'indsendt' AND category IS NULL;
CREATE UNIQUE INDEX hoering_svar_by_aendring ON hoering_svar (aendring_id) WHERE aendring_id IS NOT NULL;

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
