-- The durable upload queue (backend/upload). Times are Unix milliseconds (UTC).
-- Both Idempotency-Keys are written with the row, before the first call to Xero,
-- so a retry after a crash replays instead of creating a second file or link.
CREATE TABLE upload_items (
    id              INTEGER PRIMARY KEY,
    path            TEXT    NOT NULL,               -- as given by the OS
    path_key        TEXT    NOT NULL,               -- NFC form, for comparison only
    name            TEXT    NOT NULL,               -- display name, exactly as on disk
    size            INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,               -- hex
    mtime           INTEGER NOT NULL,               -- Unix nanoseconds
    tenant_id       TEXT    NOT NULL,
    contact_id      TEXT    NOT NULL,
    contact_name    TEXT    NOT NULL,
    contact_type    TEXT    NOT NULL CHECK (contact_type IN ('Business', 'Person')),
    folder          TEXT    NOT NULL DEFAULT '',     -- '' = the Inbox
    state           TEXT    NOT NULL,
    reason          TEXT    NOT NULL DEFAULT '',     -- why failed / waiting, in plain words
    retryable       INTEGER NOT NULL DEFAULT 0,
    note            TEXT    NOT NULL DEFAULT '',     -- e.g. why skipped as a duplicate
    file_id         TEXT    NOT NULL DEFAULT '',     -- Xero file id once uploaded
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL DEFAULT 0,      -- not before (backoff)
    upload_key      TEXT    NOT NULL,
    assoc_key       TEXT    NOT NULL,
    source          TEXT    NOT NULL,                -- drop, picker, watch, cli
    os_user         TEXT    NOT NULL,
    forced          INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX upload_items_state ON upload_items (state, tenant_id, next_at, id);
CREATE INDEX upload_items_hash ON upload_items (tenant_id, contact_id, sha256);
-- One live item per tenant + contact + content: the same file dropped twice is one item.
CREATE UNIQUE INDEX upload_items_live ON upload_items (tenant_id, contact_id, sha256)
    WHERE state IN ('queued', 'uploading', 'uploaded', 'associating', 'waiting_reconnect');

-- Xero Files folders created or found by name, with the key used to create them.
CREATE TABLE upload_folders (
    tenant_id  TEXT NOT NULL,
    name_key   TEXT NOT NULL,                        -- NFC, case-folded
    idem_key   TEXT NOT NULL,
    folder_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, name_key)
);

-- The activity log: one row per outcome, kept when items are cleared.
CREATE TABLE upload_history (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    os_user      TEXT    NOT NULL,
    path         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    tenant_id    TEXT    NOT NULL,
    contact_id   TEXT    NOT NULL,
    contact_name TEXT    NOT NULL,
    folder       TEXT    NOT NULL,
    file_id      TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,                   -- done, skipped_duplicate, failed, cancelled
    detail       TEXT    NOT NULL,
    search       TEXT    NOT NULL                    -- NFC, case-folded name/contact/file id/outcome
);
CREATE INDEX upload_history_at ON upload_history (at DESC, id DESC);
