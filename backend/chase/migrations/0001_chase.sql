-- XPM data and the chase list (backend/chase). Every table is keyed by the
-- accounting organisation's tenant_id (the one contacts are stored under):
-- the practice's XPM tenant is a separate connection that serves it.
-- Times are Unix milliseconds (UTC); dates are 'YYYY-MM-DD' ('' = none).

-- Job states with the practice's mapping. A state is known by its name (XPM
-- puts the name on jobs); the interface code PUT job.api/state needs is not
-- in the API, so the practice types it once. Rows are never deleted, so a
-- mapping survives a state that has no current job today.
CREATE TABLE xpm_states (
    tenant_id  TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,              -- lower-cased name
    name       TEXT    NOT NULL,
    uuid       TEXT    NOT NULL DEFAULT '',
    code       TEXT    NOT NULL DEFAULT '',   -- Interface Code, entered by the practice
    chase      INTEGER NOT NULL DEFAULT 0,    -- jobs in this state wait on the client
    mapped     INTEGER NOT NULL DEFAULT 0,    -- 1 once a person saved it; 0 = chase is our guess
    move_to    TEXT    NOT NULL DEFAULT '',   -- name_key of the state to offer when documents arrive
    present    INTEGER NOT NULL DEFAULT 1,    -- seen in the last sync
    ord        INTEGER NOT NULL DEFAULT 0,    -- order XPM listed it in
    PRIMARY KEY (tenant_id, name_key)
);

CREATE TABLE xpm_clients (
    tenant_id    TEXT    NOT NULL,
    uuid         TEXT    NOT NULL,
    name         TEXT    NOT NULL DEFAULT '',
    first_name   TEXT    NOT NULL DEFAULT '',
    last_name    TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',
    export_code  TEXT    NOT NULL DEFAULT '',
    archived     INTEGER NOT NULL DEFAULT 0,
    prospect     INTEGER NOT NULL DEFAULT 0,
    contacts     TEXT    NOT NULL DEFAULT '[]', -- JSON: the client's contact persons
    present      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, uuid)
);

-- Current jobs. state_since is when a sync first saw the job in its state;
-- it is kept while the state stays the same ("days waiting").
CREATE TABLE xpm_jobs (
    tenant_id    TEXT    NOT NULL,
    job_id       TEXT    NOT NULL,              -- J000309
    uuid         TEXT    NOT NULL DEFAULT '',
    name         TEXT    NOT NULL DEFAULT '',
    type         TEXT    NOT NULL DEFAULT '',
    state_key    TEXT    NOT NULL,              -- xpm_states.name_key
    state        TEXT    NOT NULL,
    client_uuid  TEXT    NOT NULL DEFAULT '',
    client_name  TEXT    NOT NULL DEFAULT '',
    start_date   TEXT    NOT NULL DEFAULT '',
    due_date     TEXT    NOT NULL DEFAULT '',
    state_since  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, job_id)
);
CREATE INDEX xpm_jobs_state ON xpm_jobs (tenant_id, state_key);
CREATE INDEX xpm_jobs_client ON xpm_jobs (tenant_id, client_uuid);

-- XPM client <-> Xero contact. auto links are recomputed by every sync;
-- confirmed and broken ones are a person's decision and never touched.
CREATE TABLE chase_links (
    tenant_id    TEXT    NOT NULL,
    client_uuid  TEXT    NOT NULL,
    contact_id   TEXT    NOT NULL DEFAULT '',
    method       TEXT    NOT NULL DEFAULT '',   -- email, name, code, manual ('' = none)
    confidence   REAL    NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL CHECK (status IN ('auto', 'confirmed', 'broken', 'ambiguous', 'unmatched')),
    reason       TEXT    NOT NULL DEFAULT '',
    candidates   TEXT    NOT NULL DEFAULT '[]', -- JSON: contacts a person may choose from
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_uuid)
);
CREATE INDEX chase_links_contact ON chase_links (tenant_id, contact_id);

-- Contacts marked "chase" by hand (the chase list without XPM).
CREATE TABLE chase_marks (
    tenant_id  TEXT    NOT NULL,
    contact_id TEXT    NOT NULL,
    marked_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, contact_id)
);

-- When a client was last chased. client_key is the XPM client UUID, or the
-- contact ID for a hand-marked client.
CREATE TABLE chase_chased (
    tenant_id  TEXT    NOT NULL,
    client_key TEXT    NOT NULL,
    chased_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_key)
);

CREATE TABLE xpm_sync (
    tenant_id     TEXT    PRIMARY KEY,
    xpm_tenant_id TEXT    NOT NULL DEFAULT '',
    state_source  TEXT    NOT NULL DEFAULT '',   -- jobstate.api/list or jobs
    last_ok_at    INTEGER NOT NULL DEFAULT 0,
    last_try_at   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    no_access     INTEGER NOT NULL DEFAULT 0     -- the last try was refused: use the no-XPM path
);
