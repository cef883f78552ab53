package upload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

type folderEntry struct {
	mu sync.Mutex // one lookup or creation at a time per tenant and name
	id string
}

// folderID finds the Xero Files folder named name, creating it if missing;
// "" is the Inbox. The creation's Idempotency-Key is written before the call,
// so a crash between Xero creating the folder and us hearing of it cannot
// make a second folder.
func (q *Queue) folderID(ctx context.Context, s Sender, tenantID, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	key := fold(name)
	q.mu.Lock()
	e := q.folders[tenantID+"\x00"+key]
	if e == nil {
		e = &folderEntry{}
		q.folders[tenantID+"\x00"+key] = e
	}
	q.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.id != "" {
		return e.id, nil
	}
	var idem, id string
	err := q.sq.QueryRowContext(ctx, `SELECT idem_key, folder_id FROM upload_folders WHERE tenant_id = ? AND name_key = ?`,
		tenantID, key).Scan(&idem, &id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("upload: folder %q: %w", name, err)
	}
	if id != "" {
		e.id = id
		return id, nil
	}
	folders, err := s.Folders(ctx)
	if err != nil {
		return "", fmt.Errorf("list folders: %w", err)
	}
	for _, f := range folders {
		if !f.IsInbox && fold(f.Name) == key {
			id = f.ID
			break
		}
	}
	if id == "" {
		if idem == "" {
			idem = newKey("chase-fo")
			if _, err := q.sq.ExecContext(ctx, `INSERT INTO upload_folders (tenant_id, name_key, idem_key) VALUES (?, ?, ?)`,
				tenantID, key, idem); err != nil {
				return "", fmt.Errorf("upload: folder %q: %w", name, err)
			}
		}
		f, err := s.CreateFolder(ctx, name, idem)
		if err != nil {
			return "", fmt.Errorf("create folder %q: %w", name, err)
		}
		id = f.ID
	}
	if _, err := q.sq.ExecContext(ctx, `INSERT INTO upload_folders (tenant_id, name_key, idem_key, folder_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, name_key) DO UPDATE SET folder_id = excluded.folder_id`, tenantID, key, newKey("chase-fo"), id); err != nil {
		return "", fmt.Errorf("upload: folder %q: %w", name, err)
	}
	e.id = id
	return id, nil
}

// forgetFolder drops a folder Xero no longer has, so the next attempt finds
// or creates it again under a new key. The upload that met the 404 created
// nothing, and its key is spent on that answer, so the item gets a new one.
func (q *Queue) forgetFolder(ctx context.Context, it *Item, cause error) error {
	key := fold(it.Folder)
	q.mu.Lock()
	if e := q.folders[it.TenantID+"\x00"+key]; e != nil {
		e.mu.Lock()
		e.id = ""
		e.mu.Unlock()
	}
	q.mu.Unlock()
	if _, err := q.sq.ExecContext(ctx, `DELETE FROM upload_folders WHERE tenant_id = ? AND name_key = ?`, it.TenantID, key); err != nil {
		return fmt.Errorf("upload: forget folder %q: %w", it.Folder, err)
	}
	it.UploadKey = newKey("chase-up")
	if _, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET upload_key = ? WHERE id = ?`, it.UploadKey, it.ID); err != nil {
		return fmt.Errorf("upload: new key for item %d: %w", it.ID, err)
	}
	return transientError{fmt.Errorf("the Xero folder %q was not found; it will be made again: %w", it.Folder, cause)}
}
