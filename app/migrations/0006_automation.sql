-- Automatic paragraf- and kravtypekontrol (issue 8, DOMAIN.md A "Steering MI 38"): a kommune's
-- supportberettiget user asks the supplier (MinSupport, Tabel 2); the supplier switches it on.
-- From then on the P and/or K defect counts as met for every open and every later task.

-- When each control was switched on, and by whom ("2027-01-12T09:30:00Z netcompany"); NULL = off.
ALTER TABLE kommune ADD COLUMN auto_paragraf TEXT;
ALTER TABLE kommune ADD COLUMN auto_kravtype TEXT;

CREATE TABLE automation_request (
    id              INTEGER PRIMARY KEY,
    kommune         INTEGER NOT NULL REFERENCES kommune (nr),
    paragrafkontrol INTEGER NOT NULL CHECK (paragrafkontrol IN (0, 1)),
    kravtypekontrol INTEGER NOT NULL CHECK (kravtypekontrol IN (0, 1)),
    -- the MinSupport request as filled in (Tabel 2)
    titel           TEXT    NOT NULL,
    beskrivelse     TEXT    NOT NULL,
    requested_by    TEXT    NOT NULL,
    requested_at    TEXT    NOT NULL,
    done_by         TEXT,
    done_at         TEXT,
    CHECK (paragrafkontrol + kravtypekontrol > 0)
);
CREATE INDEX automation_request_open ON automation_request (kommune) WHERE done_at IS NULL;
