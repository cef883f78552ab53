package upload

import (
	"context"

	"chase.md/backend/xero"
	"chase.md/backend/xero/api"
)

// Sender is the part of a tenant's Xero Files client the queue uses;
// *xero.Client satisfies it. Its calls go through the tenant's pacer and
// rest's per-call retries.
type Sender interface {
	UploadFile(ctx context.Context, req xero.UploadRequest) (*api.FileObject, error)
	Associate(ctx context.Context, fileID string, req xero.AssociationRequest, idempotencyKey string) (*api.Association, error)
	Folders(ctx context.Context) ([]api.Folder, error)
	CreateFolder(ctx context.Context, name, idempotencyKey string) (*api.Folder, error)
	// ListFiles and FileAssociations let the queue find an upload that
	// reached Xero before it heard back (see findSent).
	ListFiles(ctx context.Context, page int) (*api.Files, error)
	FileAssociations(ctx context.Context, fileID string) ([]api.Association, error)
}

var _ Sender = (*xero.Client)(nil)
