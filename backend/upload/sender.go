package upload

import (
	"context"
	"io"

	"chase.md/backend/xero/api"
)

// Sender is the part of a tenant's Xero Files client the queue uses.
type Sender interface {
	UploadFile(ctx context.Context, req UploadRequest) (*api.FileObject, error)
	Associate(ctx context.Context, fileID string, req AssociationRequest, idempotencyKey string) (*api.Association, error)
	Folders(ctx context.Context) ([]api.Folder, error)
	CreateFolder(ctx context.Context, name, idempotencyKey string) (*api.Folder, error)
}

// PROVISIONAL until backend/xero lands: these mirror xero.UploadRequest and xero.AssociationRequest.
type UploadRequest struct {
	FolderID       string
	Name           string
	Body           io.Reader
	Size           int64
	MimeType       string
	IdempotencyKey string
	Progress       func(sent int64)
}

type AssociationRequest struct {
	ObjectID    string
	ObjectGroup string
	ObjectType  string
}
