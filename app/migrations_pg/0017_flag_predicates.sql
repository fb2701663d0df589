-- SQLite's 0017 rewrites its partial indexes' predicates to the form 0016_schema.sql has
-- always had here; nothing to do on PostgreSQL.
SELECT 1;
