-- Duplicate detection reads the activity log, so clearing finished items from
-- the queue never forgets what was uploaded.
CREATE INDEX upload_history_hash ON upload_history (tenant_id, contact_id, sha256, outcome);
