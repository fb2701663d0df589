-- Progress against the deadlines (issue 8 part 4): open tasks per day, and the time caseworkers
-- spend per task.

-- The open tasks of each opgavepakke at the end of each day (Copenhagen date). The writer
-- upserts today's row with the counters (`counters::apply`); a day without changes has no row
-- and carries the day before.
CREATE TABLE opgavepakke_dag (
    kommune     INTEGER NOT NULL REFERENCES kommune (nr),
    dag         TEXT    NOT NULL,
    opgavepakke INTEGER NOT NULL CHECK (opgavepakke BETWEEN 1 AND 17),
    open_tasks  INTEGER NOT NULL,
    PRIMARY KEY (kommune, dag, opgavepakke)
) WITHOUT ROWID;

-- The days before this migration, rebuilt from the tasks (UTC dates): +1 in the package a task
-- was created in, -1 in the package it was closed in; a move takes one from its source and gives
-- one to its target. A task sits in its current package unless moved, so each move also shifts
-- the task's creation from its target to its source.
INSERT INTO opgavepakke_dag (kommune, dag, opgavepakke, open_tasks)
WITH moves AS (
    SELECT t.kommune, date(t.created_at) AS created, date(h.at) AS moved,
           h.from_opgavepakke AS src, h.to_opgavepakke AS dst
    FROM task_history h JOIN task t ON t.id = h.task_id
    WHERE h.event = 'flyttet' AND h.from_opgavepakke IS NOT NULL AND h.to_opgavepakke IS NOT NULL
), delta AS (
    SELECT kommune, date(created_at) AS dag, opgavepakke, 1 AS d FROM task
    UNION ALL SELECT kommune, date(closed_at), opgavepakke, -1 FROM task WHERE is_open = 0 AND closed_at IS NOT NULL
    UNION ALL SELECT kommune, moved, src, -1 FROM moves
    UNION ALL SELECT kommune, moved, dst, 1 FROM moves
    UNION ALL SELECT kommune, created, src, 1 FROM moves
    UNION ALL SELECT kommune, created, dst, -1 FROM moves
), per_day AS (
    SELECT kommune, dag, opgavepakke, sum(d) AS d FROM delta GROUP BY kommune, dag, opgavepakke
)
SELECT kommune, dag, opgavepakke, sum(d) OVER (PARTITION BY kommune, opgavepakke ORDER BY dag) FROM per_day;

-- When a caseworker last opened an open task (its page): where the time spent on it starts.
CREATE TABLE task_aabnet (
    task_id  INTEGER NOT NULL REFERENCES task (id),
    username TEXT    NOT NULL COLLATE NOCASE,
    at       TEXT    NOT NULL,
    PRIMARY KEY (task_id, username)
) WITHOUT ROWID;

-- The time from opening to saving of each resolved task, by the caseworker who saved it.
CREATE TABLE arbejdstid (
    id          INTEGER PRIMARY KEY,
    kommune     INTEGER NOT NULL REFERENCES kommune (nr),
    task_id     INTEGER NOT NULL REFERENCES task (id),
    opgavepakke INTEGER NOT NULL,
    username    TEXT    NOT NULL,
    seconds     REAL    NOT NULL,
    saved_at    TEXT    NOT NULL
);
CREATE INDEX arbejdstid_recent ON arbejdstid (kommune, opgavepakke, saved_at);
