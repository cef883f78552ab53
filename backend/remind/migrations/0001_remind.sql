-- Automated chasing (backend/remind, issue 12). Every table is keyed by the
-- accounting organisation's tenant_id, as the chase list's are. Times are
-- Unix milliseconds (UTC); days are 'YYYY-MM-DD' in the practice's time zone.

-- A chase plan per waiting state (plan_id = the state's name lower-cased) and
-- 'manual' for clients marked by hand, as the JSON of remind.Plan.
CREATE TABLE remind_plans (
    tenant_id  TEXT    NOT NULL,
    plan_id    TEXT    NOT NULL,
    plan       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, plan_id)
);

-- A person's say over one client: paused until a day, opted out, stopped.
CREATE TABLE remind_clients (
    tenant_id    TEXT    NOT NULL,
    client_key   TEXT    NOT NULL,            -- the chase list's ClientKey
    paused_until TEXT    NOT NULL DEFAULT '',
    opted_out    INTEGER NOT NULL DEFAULT 0,
    stopped      INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_key)
);

-- Checklist ticks: the list itself is chase's documents needed per job.
CREATE TABLE remind_ticks (
    tenant_id TEXT    NOT NULL,
    job_id    TEXT    NOT NULL,               -- upper-cased, as chase keeps it
    doc_key   TEXT    NOT NULL,               -- the document's line, lower-cased
    ticked_at INTEGER NOT NULL,
    ticked_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, job_id, doc_key)
);

-- A proposal to tick items off, dismissed while no more files than these arrived.
CREATE TABLE remind_dismissed (
    tenant_id TEXT    NOT NULL,
    job_id    TEXT    NOT NULL,
    files     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, job_id)
);

-- One row per reminder. Its identity is (client, the chase's start, step):
-- planning again never makes a second one. status 'sending' is written, with
-- the Message-ID, in its own transaction before the mail server is contacted;
-- a row found 'sending' when the program starts becomes 'unsure' and is
-- never sent again by itself.
CREATE TABLE remind_items (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT    NOT NULL,
    client_key  TEXT    NOT NULL,
    cycle       INTEGER NOT NULL,             -- when the client's chase began
    step        INTEGER NOT NULL,             -- 0 = first request
    plan_id     TEXT    NOT NULL,
    client_name TEXT    NOT NULL DEFAULT '',
    contact_id  TEXT    NOT NULL DEFAULT '',
    job_ids     TEXT    NOT NULL DEFAULT '[]',
    due         TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('due', 'sending', 'sent', 'retry', 'failed', 'skipped', 'snoozed', 'stopped', 'unsure')),
    automatic   INTEGER NOT NULL DEFAULT 0,
    to_addr     TEXT    NOT NULL DEFAULT '',
    subject     TEXT    NOT NULL DEFAULT '',
    body        TEXT    NOT NULL DEFAULT '',
    edited      INTEGER NOT NULL DEFAULT 0,   -- a person edited the email: keep their words
    outstanding TEXT    NOT NULL DEFAULT '[]',
    message_id  TEXT    NOT NULL DEFAULT '',
    sending_at  INTEGER NOT NULL DEFAULT 0,
    sending_by  TEXT    NOT NULL DEFAULT '',  -- the process (boot id) that marked it sending
    sent_at     INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    retry_at    INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    error_code  TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, client_key, cycle, step)
);
CREATE INDEX remind_items_due ON remind_items (tenant_id, due, status);
CREATE INDEX remind_items_client ON remind_items (tenant_id, client_key, cycle, step);
