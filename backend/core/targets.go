package core

import (
	"context"
	"fmt"
	"strings"

	"chase.md/backend/store"
	"chase.md/backend/upload"
)

// UploadContact is the upload target for a synced contact. Merged contacts are
// followed to the contact Xero merged them into, so files never land on a
// contact that no longer shows in Xero.
func (s *Session) UploadContact(ctx context.Context, tenantID, contactID string) (upload.Contact, error) {
	c, err := s.DB.ResolveContact(ctx, tenantID, contactID)
	if err != nil {
		return upload.Contact{}, fmt.Errorf("find client %s: %w", contactID, err)
	}
	return upload.Contact{ID: c.ID, Name: c.Name, Type: contactType(c)}, nil
}

// contactType guesses Xero Files' ObjectType: Xero has no person/business flag
// on contacts, so a contact whose name is just its first and last name is a
// Person and everything else a Business.
func contactType(c store.Contact) upload.ContactType {
	if c.FirstName != "" && c.LastName != "" &&
		strings.EqualFold(strings.Join(strings.Fields(c.FirstName+" "+c.LastName), " "), strings.Join(strings.Fields(c.Name), " ")) {
		return upload.Person
	}
	return upload.Business
}
