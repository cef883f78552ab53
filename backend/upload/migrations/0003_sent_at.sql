-- When an item's upload was first sent, or since when another machine may
-- have sent it (a stale claim taken back): before sending it again the queue
-- looks in Xero Files for a file that arrived since then, and adopts it
-- rather than trust Xero to still remember the Idempotency-Key.
ALTER TABLE upload_items ADD COLUMN sent_at INTEGER NOT NULL DEFAULT 0; -- Unix ms; 0 = never sent
