-- Issue 10, holes 4 and 5, and "vi har også behovet".

-- Every version of an ændringsønske's template text: the first (as filed) is written when the
-- text first changes, then one per elaboration, so KOMBIT sees what changed.
CREATE TABLE aendring_tekst (
    aendring_id       INTEGER NOT NULL REFERENCES aendring (id),
    nr                INTEGER NOT NULL,
    at                TEXT    NOT NULL,
    by_name           TEXT    NOT NULL,
    titel             TEXT    NOT NULL,
    udfordring        TEXT    NOT NULL,
    ydelsesarter      TEXT    NOT NULL,
    omfang            TEXT    NOT NULL,
    workaround        TEXT    NOT NULL,
    aendring_type     TEXT    NOT NULL,
    beskrivelse       TEXT    NOT NULL,
    minsupport_sagsid TEXT,
    PRIMARY KEY (aendring_id, nr)
) WITHOUT ROWID;

-- The kommune's own support address (where notices go when no person is responsible).
ALTER TABLE kommune ADD COLUMN support_email TEXT;

-- Who answers for a kommune's interest in an ændringsønske it did not file itself: the
-- requester of a merged duplicate, or the support user who said "vi har også behovet".
ALTER TABLE aendring_kommune ADD COLUMN user_id INTEGER REFERENCES app_user (id);
ALTER TABLE aendring_kommune ADD COLUMN joined_at TEXT;
UPDATE aendring_kommune
   SET user_id = (SELECT d.requester_id FROM aendring d WHERE d.id = aendring_kommune.via)
 WHERE via IS NOT NULL;

-- Mail that could not be delivered stays here with its reason; which ændringsønske and
-- kommune it was about, so KOMBIT can see it and send it again.
ALTER TABLE outbox ADD COLUMN aendring_id INTEGER REFERENCES aendring (id);
ALTER TABLE outbox ADD COLUMN kommune INTEGER;
CREATE INDEX outbox_failed ON outbox (id) WHERE error IS NOT NULL;
