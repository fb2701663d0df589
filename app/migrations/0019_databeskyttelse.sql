-- no-transaction
-- Who looked at whom (issue 12 part 6): the kommune's data-protection role (`databeskyttelse`)
-- searches and exports the audit log with its project lead; entries past the retention period
-- are purged daily.
--
-- The new role changes app_user's CHECKs, which SQLite can only do by rebuilding the table (as
-- 0015 did): foreign keys off, outside a transaction — hence `no-transaction` and BEGIN/COMMIT.
-- Columns keep their order, `removed_at` (0018) last, as PostgreSQL has them.
--
-- The audit log's new indexes have ever-growing keys (the time; the kommune then the id), so
-- each write touches their rightmost pages only: a search by kommune and period, and the purge,
-- without a random page per audited read.

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE app_user_new (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('sagsbehandler', 'projektleder', 'supportberettiget',
                                                  'fagfaellesskab', 'leverandoer', 'kombit', 'styregruppe',
                                                  'hoeringsansvarlig', 'databeskyttelse')),
    kommune        INTEGER REFERENCES kommune (nr),
    fagfaellesskab TEXT,
    is_demo        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    email          TEXT,
    removed_at     TEXT,
    CHECK (role NOT IN ('sagsbehandler', 'projektleder', 'supportberettiget', 'hoeringsansvarlig',
                        'databeskyttelse')
           OR kommune IS NOT NULL),
    CHECK (role <> 'fagfaellesskab' OR fagfaellesskab IS NOT NULL)
);
INSERT INTO app_user_new (id, username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo,
                          created_at, email, removed_at)
    SELECT id, username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo, created_at, email,
           removed_at
    FROM app_user;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;

CREATE INDEX audit_by_at ON audit_log (at);
CREATE INDEX audit_by_kommune ON audit_log (kommune, id);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
