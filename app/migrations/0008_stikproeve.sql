-- Stikprøve (issue 8 part 5, DOMAIN.md A "Steering MI 38"): a random sample of the open Opret
-- fordringssag tasks that fell to paragraf- and/or kravtypekontrol, checked by hand. The seed,
-- the population size and the drawn tasks are kept so the draw can be redone
-- (`domain::stikproeve::draw`).

CREATE TABLE stikproeve (
    id              INTEGER PRIMARY KEY,
    kommune         INTEGER NOT NULL REFERENCES kommune (nr),
    paragrafkontrol INTEGER NOT NULL CHECK (paragrafkontrol IN (0, 1)),
    kravtypekontrol INTEGER NOT NULL CHECK (kravtypekontrol IN (0, 1)),
    seed            INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
    -- open tasks with the chosen control(s) when drawn
    population      INTEGER NOT NULL,
    -- as asked for: "40 opgaver", "10 %"
    requested       TEXT    NOT NULL,
    drawn_by        TEXT    NOT NULL,
    drawn_at        TEXT    NOT NULL,
    CHECK (paragrafkontrol + kravtypekontrol > 0)
);
CREATE INDEX stikproeve_by_kommune ON stikproeve (kommune, id);

-- One drawn task. `p`/`k`: the task fell to that control (and it was chosen). An answer is
-- NULL until checked; 1 = the source is right, 0 = wrong. `version` guards concurrent checks.
CREATE TABLE stikproeve_item (
    stikproeve_id INTEGER NOT NULL REFERENCES stikproeve (id),
    position      INTEGER NOT NULL,
    task_id       INTEGER NOT NULL REFERENCES task (id),
    p             INTEGER NOT NULL CHECK (p IN (0, 1)),
    k             INTEGER NOT NULL CHECK (k IN (0, 1)),
    p_correct     INTEGER CHECK (p_correct IN (0, 1)),
    k_correct     INTEGER CHECK (k_correct IN (0, 1)),
    note          TEXT,
    checked_by    TEXT,
    checked_at    TEXT,
    version       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stikproeve_id, task_id),
    UNIQUE (stikproeve_id, position),
    CHECK (p + k > 0)
) WITHOUT ROWID;
