-- One SQL text for SQLite and PostgreSQL: flags are tested as booleans (`WHERE is_open`), which
-- PostgreSQL's BOOLEAN columns require. SQLite uses a partial index only when a query repeats
-- its predicate as written, so the partial indexes on flags say it the same way.
DROP INDEX task_open_by_age;
CREATE INDEX task_open_by_age ON task (kommune, opgavepakke, stiftet, id) WHERE is_open;
DROP INDEX task_open_by_caseworker;
CREATE INDEX task_open_by_caseworker ON task (kommune, opgavepakke, sagsbehandler, stiftet) WHERE is_open;
DROP INDEX task_open_by_cpr;
CREATE INDEX task_open_by_cpr ON task (kommune, cpr) WHERE is_open;
DROP INDEX task_open_tilbagefoersel;
CREATE INDEX task_open_tilbagefoersel ON task (kommune, opgavepakke, stiftet, id) WHERE is_open AND tilbagefoersel;
DROP INDEX fordring_tilbagefoersel;
CREATE INDEX fordring_tilbagefoersel ON fordring (kommune, cpr) WHERE tilbagefoersel;
