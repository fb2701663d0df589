-- The kravtyper in use in each kommune (trimmed), so the resolve form offers and checks them
-- without scanning every fordring; the import adds those of its new fordringer.
CREATE TABLE kravtype_i_brug (
    kommune  INTEGER NOT NULL,
    kravtype TEXT    NOT NULL,
    PRIMARY KEY (kommune, kravtype)
) WITHOUT ROWID;
INSERT OR IGNORE INTO kravtype_i_brug (kommune, kravtype)
    SELECT DISTINCT kommune, trim(kravtype) FROM fordring WHERE trim(coalesce(kravtype, '')) <> '';

-- A caseworker taking over a task that a colleague had claimed ("i gang hos …"): who, from whom,
-- when. Kept apart from task_history, whose event CHECK names task moves only.
CREATE TABLE task_overtagelse (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES task (id),
    at        TEXT    NOT NULL,
    fra       TEXT    NOT NULL,
    til       TEXT    NOT NULL
);
CREATE INDEX task_overtagelse_by_task ON task_overtagelse (task_id);
