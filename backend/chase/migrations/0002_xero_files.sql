-- The chase list's "documents received since" counts a contact's files in
-- Xero Files as well as chase.md's own uploads (backend/chase). Xero is not
-- asked for every contact each time the list is drawn: this is a cache of
-- each contact's file associations, filled whenever the client page lists a
-- contact's files and by a slow background refresh of the contacts on the
-- chase list. Times are Unix milliseconds (UTC); 0 = Xero did not say.
CREATE TABLE chase_xero_files (
    tenant_id     TEXT    NOT NULL,
    contact_id    TEXT    NOT NULL,   -- lower-cased
    file_id       TEXT    NOT NULL,   -- lower-cased
    associated_at INTEGER NOT NULL,   -- when the file was associated with the contact
    created_at    INTEGER NOT NULL,   -- when the file was created in Xero
    PRIMARY KEY (tenant_id, contact_id, file_id)
);

-- When each contact's files were last listed, so the refresh asks Xero about
-- a contact again only after hours.
CREATE TABLE chase_xero_files_checked (
    tenant_id  TEXT    NOT NULL,
    contact_id TEXT    NOT NULL,      -- lower-cased
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, contact_id)
);
