-- The twin of SQLite's 0018 (issue 12 part 5): when a session was last used and what it was
-- opened from; when a user was removed.

ALTER TABLE session ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN user_agent TEXT;
ALTER TABLE session ADD COLUMN client TEXT;
UPDATE session SET last_seen_at = created_at;
CREATE INDEX session_by_user ON session (user_id);

ALTER TABLE app_user ADD COLUMN removed_at TEXT;
