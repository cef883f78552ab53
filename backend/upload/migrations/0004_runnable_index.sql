-- The dispatcher keeps which tenants have work and when it falls due in
-- memory; it reads only the items it will run (the first runnable ones of a
-- tenant, in order) and a tenant's next due time, each an index seek rather
-- than a scan of the whole queue.
CREATE INDEX upload_items_runnable ON upload_items (tenant_id, id)
	WHERE state IN ('queued', 'uploading', 'uploaded', 'associating');
CREATE INDEX upload_items_tenant_due ON upload_items (tenant_id, state, next_at, id);
