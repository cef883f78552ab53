-- Xero contacts per tenant, as last synced. Xero never deletes a contact (it archives
-- or merges it), so neither do we. The integer id is only a compact key for the search
-- index; a contact is identified by (tenant_id, contact_id).
CREATE TABLE contacts (
    id                   INTEGER PRIMARY KEY,
    tenant_id            TEXT    NOT NULL,
    contact_id           TEXT    NOT NULL,
    name                 TEXT    NOT NULL DEFAULT '',
    sort_key             TEXT    NOT NULL DEFAULT '',   -- folded name: list order
    first_name           TEXT    NOT NULL DEFAULT '',
    last_name            TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    account_number       TEXT    NOT NULL DEFAULT '',
    contact_number       TEXT    NOT NULL DEFAULT '',
    company_number       TEXT    NOT NULL DEFAULT '',
    website              TEXT    NOT NULL DEFAULT '',
    status               TEXT    NOT NULL DEFAULT 'ACTIVE', -- ACTIVE, ARCHIVED, GDPRREQUEST
    is_customer          INTEGER NOT NULL DEFAULT 0,
    is_supplier          INTEGER NOT NULL DEFAULT 0,
    merged_to_contact_id TEXT    NOT NULL DEFAULT '',
    updated_utc          TEXT    NOT NULL DEFAULT '',   -- Xero's UpdatedDateUTC, RFC 3339 UTC
    -- Detail shown on the client page only, never filtered on: JSON keeps it one row.
    phones               TEXT    NOT NULL DEFAULT '[]',
    addresses            TEXT    NOT NULL DEFAULT '[]',
    persons              TEXT    NOT NULL DEFAULT '[]',
    groups               TEXT    NOT NULL DEFAULT '[]',
    search_doc           TEXT    NOT NULL DEFAULT '',   -- folded text that search matches
    content_hash         TEXT    NOT NULL DEFAULT '',   -- tells a changed contact from a re-sent one
    synced_at            TEXT    NOT NULL DEFAULT '',
    rev                  INTEGER NOT NULL DEFAULT 0,    -- contact_revs.rev of its last change
    UNIQUE (tenant_id, contact_id)
);

-- Search runs over an in-memory index of search_doc (see contacts.go); it reloads
-- only rows whose rev is newer than what it holds. FTS5 (trigram) was measured first:
-- under modernc it costs 5-25 ms for broad queries on 10,000 contacts, too slow.
CREATE INDEX contacts_by_rev ON contacts (tenant_id, rev);
CREATE TABLE contact_revs (
    tenant_id TEXT    PRIMARY KEY,
    rev       INTEGER NOT NULL       -- bumped by every transaction that adds or changes contacts
);

-- Contact sync progress per tenant. Times are the SERVER's (Xero's DateTimeUTC), so a
-- skewed local clock cannot make an incremental sync miss changes.
CREATE TABLE contact_sync (
    tenant_id         TEXT    PRIMARY KEY,
    page_size         INTEGER NOT NULL DEFAULT 0,  -- largest page size the server honoured; 0 = not yet known
    watermark         TEXT    NOT NULL DEFAULT '', -- server time the next incremental asks changes since
    last_full_at      TEXT    NOT NULL DEFAULT '', -- server time a completed full sync started
    last_sync_at      TEXT    NOT NULL DEFAULT '', -- local time of the last completed sync (shown in the UI)
    full_next_page    INTEGER NOT NULL DEFAULT 0,  -- > 0: a full sync is under way and resumes at this page
    full_page_size    INTEGER NOT NULL DEFAULT 0,  -- the page size its pages were numbered with
    full_page_count   INTEGER NOT NULL DEFAULT 0,
    full_started_at   TEXT    NOT NULL DEFAULT '', -- server time of its first page: its watermark when done
    full_seen         INTEGER NOT NULL DEFAULT 0,  -- contacts received so far in it
    last_error        TEXT    NOT NULL DEFAULT '',
    updated_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
