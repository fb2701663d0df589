-- The twin of SQLite's 0019 (issue 12 part 6): the role `databeskyttelse` (bound to a kommune)
-- in app_user's CHECKs — PostgreSQL alters them in place — and the audit log's indexes for the
-- search by kommune and period and for the purge.

ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
    CHECK (role IN ('sagsbehandler', 'projektleder', 'supportberettiget', 'fagfaellesskab', 'leverandoer', 'kombit',
                    'styregruppe', 'hoeringsansvarlig', 'databeskyttelse'));
ALTER TABLE app_user DROP CONSTRAINT app_user_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_check
    CHECK (role NOT IN ('sagsbehandler', 'projektleder', 'supportberettiget', 'hoeringsansvarlig', 'databeskyttelse')
           OR kommune IS NOT NULL);

CREATE INDEX audit_by_at ON audit_log (at);
CREATE INDEX audit_by_kommune ON audit_log (kommune, id);
