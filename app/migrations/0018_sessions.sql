-- Sessions as a public-sector application needs them (issue 12 part 5): an idle timeout besides
-- the absolute lifetime (`expires_at`), so each session remembers when it was last used
-- (touched at most once a minute, `service::auth`), and what it was opened from, so its user
-- can tell their sessions apart and end the others. A user removed by an administrator keeps
-- their row (history and audit name them) but can no longer log in: `removed_at`.

ALTER TABLE session ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN user_agent TEXT;
ALTER TABLE session ADD COLUMN client TEXT;
UPDATE session SET last_seen_at = created_at;
CREATE INDEX session_by_user ON session (user_id);

ALTER TABLE app_user ADD COLUMN removed_at TEXT;
