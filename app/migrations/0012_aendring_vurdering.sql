-- The leverandør's changeboard assessment of an ændringsønske (issue 10): the solution options
-- discussed and a rough feasibility. KOMBIT's changeboard decision needs it.
ALTER TABLE aendring ADD COLUMN vurdering_loesning TEXT;
ALTER TABLE aendring ADD COLUMN vurdering_gennemfoerlighed TEXT;
ALTER TABLE aendring ADD COLUMN vurdering_by TEXT;
ALTER TABLE aendring ADD COLUMN vurdering_at TEXT;
