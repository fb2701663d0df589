-- One name per concept (NOTES.md, glossary in lib.rs): an ændringsønske's type is its
-- aendring_type.
ALTER TABLE aendring RENAME COLUMN request_type TO aendring_type;

-- An opgavepakke is an opgavepakke everywhere (not a package or a pakke).
ALTER TABLE package_count RENAME TO opgavepakke_count;
ALTER TABLE task_history RENAME COLUMN from_pakke TO from_opgavepakke;
ALTER TABLE task_history RENAME COLUMN to_pakke TO to_opgavepakke;
ALTER TABLE daekning RENAME COLUMN pakke_foer TO opgavepakke_foer;
ALTER TABLE daekning RENAME COLUMN pakke_efter TO opgavepakke_efter;
