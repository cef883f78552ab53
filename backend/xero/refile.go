package xero

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"chase.md/backend/rest"
)

// DeleteAssociation unlinks a file from an object (DELETE
// /Files/{FileId}/Associations/{ObjectId}); the file stays in Xero Files.
func (c *Client) DeleteAssociation(ctx context.Context, fileID, objectID string) error {
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Method: http.MethodDelete, Tenant: c.tenant,
		Path: filesPath + "/Files/" + url.PathEscape(fileID) + "/Associations/" + url.PathEscape(objectID)}, nil, nil)
	if err != nil {
		return fmt.Errorf("xero: unlink file %s from %s: %w", fileID, objectID, err)
	}
	return nil
}

// DeleteFile removes a file from Xero Files, with its associations.
func (c *Client) DeleteFile(ctx context.Context, fileID string) error {
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Method: http.MethodDelete, Tenant: c.tenant,
		Path: filesPath + "/Files/" + url.PathEscape(fileID)}, nil, nil)
	if err != nil {
		return fmt.Errorf("xero: delete file %s: %w", fileID, err)
	}
	return nil
}

// MoveFile links a file to another contact and then unlinks it from the
// one it was filed to: new link first, so a failure in between leaves the
// file on both clients (shown, and fixed by trying again), never on none.
// The idempotency key makes a retried move create one link. An old link
// already gone (moved before, by chase.md or in Xero) is not an error.
func (c *Client) MoveFile(ctx context.Context, fileID, fromObjectID string, to AssociationRequest, idempotencyKey string) error {
	if _, err := c.Associate(ctx, fileID, to, idempotencyKey); err != nil {
		return fmt.Errorf("xero: move file %s: %w", fileID, err)
	}
	if err := c.DeleteAssociation(ctx, fileID, fromObjectID); err != nil && !errors.Is(err, rest.ErrNotFound) {
		return fmt.Errorf("xero: move file %s: %w", fileID, err)
	}
	return nil
}
