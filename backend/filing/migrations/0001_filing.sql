-- Watched folders (backend/filing). Times are Unix milliseconds (UTC); file
-- modification times Unix nanoseconds, as the watcher compares them.

CREATE TABLE filing_folders (
    id          INTEGER PRIMARY KEY,
    path        TEXT    NOT NULL UNIQUE,
    tenant_id   TEXT    NOT NULL,
    mode        TEXT    NOT NULL DEFAULT 'subfolder', -- subfolder, filename, fixed
    contact_id  TEXT    NOT NULL DEFAULT '',          -- for mode 'fixed'
    after       TEXT    NOT NULL DEFAULT 'move',      -- move (to Filed/<client>/) or leave
    paused      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

-- A person's choice in the Review list, saved as a pattern that later files follow.
CREATE TABLE filing_rules (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT    NOT NULL,
    pattern     TEXT    NOT NULL,
    contact_id  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, pattern)
);

-- Claimed files whose upload is under way: after a restart the claim is kept
-- while its queue item is live and filed once it is done.
CREATE TABLE filing_pending (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL,
    folder_id   INTEGER NOT NULL,
    root        TEXT    NOT NULL,
    rel         TEXT    NOT NULL,   -- where it came from, relative to root
    claim_path  TEXT    NOT NULL,   -- where it waits (the queue item's path)
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    tenant_id   TEXT    NOT NULL,
    contact_id  TEXT    NOT NULL,
    client      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX filing_pending_item ON filing_pending (item_id);

-- Files filed: "filed today per client", and files left in place that a
-- restart must not upload again.
CREATE TABLE filing_done (
    id          INTEGER PRIMARY KEY,
    folder_id   INTEGER NOT NULL,
    rel         TEXT    NOT NULL,   -- original place, relative to the folder
    final_rel   TEXT    NOT NULL,   -- where it is now (Filed/<client>/… or rel)
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    item_id     INTEGER NOT NULL,
    tenant_id   TEXT    NOT NULL,
    contact_id  TEXT    NOT NULL,
    client      TEXT    NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX filing_done_final ON filing_done (folder_id, final_rel);
CREATE INDEX filing_done_at ON filing_done (at);

-- Files waiting for a person: refused by the checks, or no confident match.
-- The file itself stays where it was.
CREATE TABLE filing_review (
    id          INTEGER PRIMARY KEY,
    folder_id   INTEGER NOT NULL,
    rel         TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,   -- in plain words
    refused     INTEGER NOT NULL DEFAULT 0,  -- 1: the file cannot be uploaded as it is
    suggestions TEXT    NOT NULL DEFAULT '[]', -- JSON: match.Suggestion list
    dismissed   INTEGER NOT NULL DEFAULT 0,  -- 1: a person chose to leave it; kept so it is not offered again
    created_at  INTEGER NOT NULL,
    UNIQUE (folder_id, rel)
);
