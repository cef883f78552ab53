-- Settings the user chose (window geometry, last screen, chosen tenants, state mappings…).
-- Never tokens: those live only in the OS keyring.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,            -- JSON
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
