-- The SMTP sender retries a failed mail a few times with a growing pause; a permanent refusal
-- (5xx) or the last failed attempt leaves the error on the row for an administrator to read.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL AND error IS NULL;
