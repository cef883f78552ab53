package xero

import (
	"context"
	"errors"
	"strings"
	"testing"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
)

// Moving a filed document to another client and removing it, against the
// sandbox: its associations are the truth.
func TestMoveAndDeleteFile(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 3, Contacts: 5, DisableLimits: true})
	ctx := context.Background()
	cs := e.sb.Contacts(e.tenant)
	from, to := cs[0], cs[1]
	fo, err := e.x.UploadFile(ctx, UploadRequest{Name: "Misfiled.pdf", Body: strings.NewReader("%PDF-1.4 x\n%%EOF"), Size: 16, IdempotencyKey: "u-misfiled"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.x.Associate(ctx, fo.ID, AssociationRequest{ObjectID: from.ContactID}, "a-misfiled"); err != nil {
		t.Fatal(err)
	}
	assocOf := func() []string {
		var out []string
		for _, a := range e.sb.Associations(e.tenant) {
			if strings.EqualFold(a.FileID, fo.ID) {
				out = append(out, strings.ToLower(a.ObjectID))
			}
		}
		return out
	}

	for range 2 { // the second move replays: still one link, to the new client
		if err := e.x.MoveFile(ctx, fo.ID, from.ContactID, AssociationRequest{ObjectID: to.ContactID}, "m-misfiled"); err != nil {
			t.Fatal(err)
		}
		if got := assocOf(); len(got) != 1 || got[0] != strings.ToLower(to.ContactID) {
			t.Fatalf("after the move the file is linked to %v, want only %s", got, to.ContactID)
		}
	}
	if as, err := e.x.AssociationsFor(ctx, from.ContactID); err != nil || len(as) != 0 {
		t.Fatalf("the old client still lists %d files (%v)", len(as), err)
	}

	if err := e.x.DeleteFile(ctx, fo.ID); err != nil {
		t.Fatal(err)
	}
	for _, f := range e.sb.Files(e.tenant) {
		if strings.EqualFold(f.ID, fo.ID) {
			t.Fatal("the file is still in Xero Files")
		}
	}
	if got := assocOf(); len(got) != 0 {
		t.Fatalf("associations left after delete: %v", got)
	}
	if err := e.x.DeleteFile(ctx, fo.ID); !errors.Is(err, rest.ErrNotFound) {
		t.Fatalf("deleting twice: %v, want not found", err)
	}
}
