-- The activity log (backend/activity): one row per thing chase.md did for the
-- practice, kept for the practice's records. Times are Unix milliseconds (UTC).
CREATE TABLE activity_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    kind         TEXT    NOT NULL,              -- sync, filed, refused, undone, moved, removed, job_moved, email, chased, link, reminder…
    who          TEXT    NOT NULL,              -- the signed-in Xero user where known, else the computer's login
    tenant_id    TEXT    NOT NULL DEFAULT '',
    contact_id   TEXT    NOT NULL DEFAULT '',
    client       TEXT    NOT NULL DEFAULT '',   -- the client's name when it happened
    subject      TEXT    NOT NULL DEFAULT '',   -- a file name, a job, an email address
    xero_id      TEXT    NOT NULL DEFAULT '',   -- the Xero file id, job number…
    detail       TEXT    NOT NULL DEFAULT '',   -- in plain words
    search       TEXT    NOT NULL               -- NFC, case-folded text of the above
);
CREATE INDEX activity_log_at ON activity_log (at DESC, id DESC);
CREATE INDEX activity_log_kind ON activity_log (kind, at DESC);
