-- Appeals (issue 10): one per ændringsønske per kommune (one kommune's appeal no longer blocks
-- the others), and KOMBIT's decision on each: uphold with a reply, or reopen into visitering.
CREATE TABLE appeal_new (
    id          INTEGER PRIMARY KEY,
    aendring_id INTEGER NOT NULL REFERENCES aendring (id),
    kommune     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    sagsid      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    decision    TEXT    CHECK (decision IN ('fasthold', 'genoptag')),
    reply       TEXT,
    decided_by  TEXT,
    decided_at  TEXT,
    UNIQUE (aendring_id, kommune)
);
INSERT INTO appeal_new (aendring_id, kommune, user_id, sagsid, reason, at)
    SELECT aendring_id, kommune, user_id, sagsid, reason, at FROM appeal;
DROP TABLE appeal;
ALTER TABLE appeal_new RENAME TO appeal;
CREATE INDEX appeal_undecided ON appeal (at) WHERE decision IS NULL;
