-- Counter changes as rows of their own, for PostgreSQL: with several instances every caseworker
-- of a kommune would otherwise wait on the kommune's counter and version rows for the one before
-- to commit (store/counters.rs `apply`, `fold`). SQLite's single writer changes the kept rows
-- directly and leaves this table empty; it exists here too so the two schemas stay one.
CREATE TABLE opgavepakke_count_delta (
    id          INTEGER PRIMARY KEY,
    kommune     INTEGER NOT NULL,
    opgavepakke INTEGER NOT NULL,
    open_tasks  INTEGER NOT NULL,
    -- the day of the change, for the burn-down's day rows (`opgavepakke_dag`)
    dag         TEXT    NOT NULL
);
CREATE INDEX opgavepakke_count_delta_by_kommune ON opgavepakke_count_delta (kommune, id);
