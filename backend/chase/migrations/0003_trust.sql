-- The chase list an accountant trusts (backend/chase, issue 11).

-- state_entered = 1 when a sync saw the job enter its state (it was known in
-- another state before), so state_since is when it started waiting; 0 when
-- the job was already in the state the first time chase.md saw it, so the
-- job's start date says more than state_since.
ALTER TABLE xpm_jobs ADD COLUMN state_entered INTEGER NOT NULL DEFAULT 0;

-- Where a state's Interface Code came from: 'xpm' (XPM listed it, or in demo
-- mode the demo practice itself), 'typed' (XPM gives none for the state, so
-- the practice entered it once), '' = unknown.
ALTER TABLE xpm_states ADD COLUMN code_source TEXT NOT NULL DEFAULT '';
UPDATE xpm_states SET code_source = 'typed' WHERE code != '';

-- What XPM says of a client that also identifies a Xero contact.
ALTER TABLE xpm_clients ADD COLUMN other_name      TEXT NOT NULL DEFAULT ''; -- trading name
ALTER TABLE xpm_clients ADD COLUMN mobile          TEXT NOT NULL DEFAULT '';
ALTER TABLE xpm_clients ADD COLUMN tax_number      TEXT NOT NULL DEFAULT '';
ALTER TABLE xpm_clients ADD COLUMN company_number  TEXT NOT NULL DEFAULT '';
ALTER TABLE xpm_clients ADD COLUMN business_number TEXT NOT NULL DEFAULT '';
ALTER TABLE xpm_clients ADD COLUMN client_code     TEXT NOT NULL DEFAULT '';

-- sure: an automatic link two independent keys agree on (safe to confirm in
-- bulk); keys: what matched, comma-separated ("email,name").
ALTER TABLE chase_links ADD COLUMN sure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chase_links ADD COLUMN keys TEXT    NOT NULL DEFAULT '';

-- Per job, the short list of documents the practice still needs from the
-- client; the chase email carries it. Kept when the job leaves the list.
CREATE TABLE chase_docs_needed (
    tenant_id TEXT    NOT NULL,
    job_id    TEXT    NOT NULL,   -- upper-cased, as xpm_jobs
    ord       INTEGER NOT NULL,
    doc       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, job_id, ord)
);

-- Chase email templates, plain text with named placeholders ({client first
-- name}); state_key '' is the default, others a job state's name_key.
CREATE TABLE chase_email_templates (
    state_key TEXT PRIMARY KEY,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL
);
