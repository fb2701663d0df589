-- MI 38 steering (issue 8): the kommune's plan (approach, deadlines, who works MI 38 and how
-- many hours), persons handed to caseworkers (rapportstyret), and tilbageførsler (KLIK UI 50).

-- The approach: `fordeling` becomes `tilgang` (the word the guide and the CLI use), with "anden".
ALTER TABLE kommune ADD COLUMN tilgang TEXT NOT NULL DEFAULT 'opgavepakkestyret'
    CHECK (tilgang IN ('sideloebende', 'fokuseret', 'rapportstyret', 'opgavepakkestyret', 'anden'));
UPDATE kommune SET tilgang = fordeling;
ALTER TABLE kommune DROP COLUMN fordeling;
-- The final uden deadline, when uden cannot be met by the KLIK end date (the med deadline).
ALTER TABLE kommune ADD COLUMN deadline_uden_endelig TEXT;
-- The kommune's go-live in KY (its wave); the KLIK plan is computed from it.
ALTER TABLE kommune ADD COLUMN go_live TEXT;
-- Who works MI 38: all caseworkers, a named team, superbrugere or vikarer (the named ones in
-- `mi38_medarbejder`), and the hours a week each of them spends on it.
ALTER TABLE kommune ADD COLUMN ressourcer TEXT NOT NULL DEFAULT 'alle'
    CHECK (ressourcer IN ('alle', 'team', 'superbrugere', 'vikarer'));
ALTER TABLE kommune ADD COLUMN timer_pr_uge REAL NOT NULL DEFAULT 10
    CHECK (timer_pr_uge > 0 AND timer_pr_uge <= 37);
-- opgavepakkestyret: the order the packages are emptied in (med dækninger first by default,
-- 08 and 17 early). Comma-separated package numbers; 09 is never handed out.
ALTER TABLE kommune ADD COLUMN opgavepakke_order TEXT NOT NULL
    DEFAULT '8,1,2,3,4,5,6,7,17,10,11,12,13,14,15,16';
-- Bumped by every change of the plan, so two project leads editing at once are told.
ALTER TABLE kommune ADD COLUMN plan_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE mi38_medarbejder (
    kommune  INTEGER NOT NULL REFERENCES kommune (nr),
    username TEXT    NOT NULL COLLATE NOCASE,
    PRIMARY KEY (kommune, username)
) WITHOUT ROWID;

-- rapportstyret: a person (all their open tasks) handed to a caseworker by the project lead.
CREATE TABLE tildeling (
    kommune    INTEGER NOT NULL,
    cpr        TEXT    NOT NULL,
    username   TEXT    NOT NULL COLLATE NOCASE,
    tildelt_af TEXT    NOT NULL,
    tildelt_at TEXT    NOT NULL,
    PRIMARY KEY (kommune, cpr),
    FOREIGN KEY (kommune, cpr) REFERENCES person (kommune, cpr)
) WITHOUT ROWID;
CREATE INDEX tildeling_by_user ON tildeling (kommune, username);

-- The kommune made a tilbageførsel on the fordring (optional column of fordringer.csv).
ALTER TABLE fordring ADD COLUMN tilbagefoersel INTEGER NOT NULL DEFAULT 0;
-- Copied to every task of a person with a tilbageførsel on any fordring: they come first.
ALTER TABLE task ADD COLUMN tilbagefoersel INTEGER NOT NULL DEFAULT 0;
CREATE INDEX task_open_by_cpr ON task (kommune, cpr) WHERE is_open = 1;
CREATE INDEX task_open_tilbagefoersel ON task (kommune, opgavepakke, stiftet, id)
    WHERE is_open = 1 AND tilbagefoersel = 1;
