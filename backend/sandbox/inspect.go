package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Request is one request the sandbox received, as recorded for tests.
type Request struct {
	Method, Path, Query string
	Tenant              string // xero-tenant-id header as sent
	UserAgent           string
	Status              int // 0 when the connection was dropped without a response
	Time                time.Time
	Fault               string // the injected fault's action, if any
}

// Tenant describes one demo tenant.
type Tenant struct {
	ID, Name, Type string // Type is "ORGANISATION" or "PRACTICEMANAGER"
}

// FileInfo is a stored file.
type FileInfo struct {
	ID, Name, MimeType, FolderID string
	Size                         int
	SHA256                       string // hex
	Created                      time.Time
}

// AssociationInfo is a stored file association.
type AssociationInfo struct {
	FileID, ObjectID, ObjectGroup, ObjectType string
	Created                                   time.Time
}

func (s *Server) record(r Request) {
	s.reqMu.Lock()
	s.requests = append(s.requests, r)
	s.reqMu.Unlock()
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return slices.Clone(s.requests)
}

// CountRequests counts recorded requests with this method (""=any) whose
// path contains pathPart, case-insensitively.
func (s *Server) CountRequests(method, pathPart string) int {
	n := 0
	for _, r := range s.Requests() {
		if (method == "" || r.Method == method) && strings.Contains(strings.ToLower(r.Path), strings.ToLower(pathPart)) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	s.requests = nil
	s.reqMu.Unlock()
}

// TokenGrants counts successful authorization_code exchanges.
func (s *Server) TokenGrants() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id.grants
}

// TokenRefreshes counts successful refresh_token exchanges.
func (s *Server) TokenRefreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id.refreshes
}

// RevokeRefreshTokens makes every refresh token issued so far stale, as when
// a user disconnects the app or 60 days pass: the next refresh gets
// 400 invalid_grant.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range s.id.refresh {
		rt.revoked = true
	}
}

// WithholdScopes makes the next sign-ins grant every scope asked for but
// these: the token (and every token refreshed from it) lacks them, so the
// calls that need them get Xero's 401 AuthorizationUnsuccessful. It plays a
// connection made before the app asked for a scope, or one Xero did not
// grant; call it with none to grant everything again.
func (s *Server) WithholdScopes(scopes ...string) {
	s.mu.Lock()
	s.withheld = slices.Clone(scopes)
	s.mu.Unlock()
}

// ExpireAccessTokens makes every access token issued so far expired.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, at := range s.id.access {
		at.expires = time.Time{}
	}
}

// Advance moves the sandbox clock forward (token expiry, rate-limit windows,
// timestamps) on top of Options.Clock.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

// Now is the sandbox's current time.
func (s *Server) Now() time.Time { return s.now() }

// Tenants lists the demo tenants: the practice organisation first, then the
// second organisation, then the XPM practice.
func (s *Server) Tenants() []Tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Tenant
	for _, t := range s.tenants {
		out = append(out, Tenant{ID: t.ID, Name: t.Name, Type: t.Type})
	}
	return out
}

// TenantID returns the ID of the tenant with this name ("" if none).
func (s *Server) TenantID(name string) string {
	for _, t := range s.Tenants() {
		if t.Name == name {
			return t.ID
		}
	}
	return ""
}

func (s *Server) tenantLocked(id string) (*tenant, error) {
	t := s.byID[strings.ToLower(id)]
	if t == nil {
		return nil, fmt.Errorf("sandbox: no tenant %q", id)
	}
	return t, nil
}

// Contacts returns copies of every contact of the tenant, archived included,
// in creation order.
func (s *Server) Contacts(tenantID string) []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return nil
	}
	out := make([]Contact, 0, len(t.order))
	for _, c := range t.order {
		out = append(out, c.clone())
	}
	return out
}

// Contact returns one contact.
func (s *Server) Contact(tenantID, contactID string) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return Contact{}, false
	}
	c := t.contacts[strings.ToLower(contactID)]
	if c == nil {
		return Contact{}, false
	}
	return c.clone(), true
}

// UpdateContact changes a contact with edit and bumps its UpdatedDateUTC,
// as an edit in Xero would between two syncs.
func (s *Server) UpdateContact(tenantID, contactID string, edit func(c *Contact)) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return err
	}
	c := t.contacts[strings.ToLower(contactID)]
	if c == nil {
		return fmt.Errorf("sandbox: no contact %q", contactID)
	}
	next := c.clone()
	edit(&next)
	next.ContactID = c.ContactID
	next.touch(now)
	t.putContact(&next)
	return nil
}

// ArchiveContact archives a contact.
func (s *Server) ArchiveContact(tenantID, contactID string) error {
	return s.UpdateContact(tenantID, contactID, func(c *Contact) { c.ContactStatus = "ARCHIVED" })
}

// AddContact creates a contact (a new ContactID is assigned when empty) and
// returns it as stored.
func (s *Server) AddContact(tenantID string, c Contact) (Contact, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return Contact{}, err
	}
	if c.ContactID == "" {
		c.ContactID = s.newIDLocked()
	}
	c.ContactID = strings.ToLower(c.ContactID)
	if c.ContactStatus == "" {
		c.ContactStatus = "ACTIVE"
	}
	if c.ContactGroups == nil {
		c.ContactGroups = []ContactGroup{}
	}
	c.touch(now)
	stored := c.clone()
	t.putContact(&stored)
	return stored.clone(), nil
}

func (f *file) info() FileInfo {
	return FileInfo{ID: f.ID, Name: f.Name, MimeType: f.MimeType, FolderID: f.FolderID, Size: f.Size, SHA256: f.SHA256, Created: f.Created}
}

// Files lists the tenant's files in upload order.
func (s *Server) Files(tenantID string) []FileInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return nil
	}
	var out []FileInfo
	for _, f := range t.fileSeq {
		out = append(out, f.info())
	}
	return out
}

// FileContent returns a stored file's bytes.
func (s *Server) FileContent(tenantID, fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return nil, false
	}
	f := t.files[strings.ToLower(fileID)]
	if f == nil {
		return nil, false
	}
	return slices.Clone(f.data), true
}

// Associations lists the tenant's file associations in creation order.
func (s *Server) Associations(tenantID string) []AssociationInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return nil
	}
	var out []AssociationInfo
	for _, a := range t.assocs {
		out = append(out, AssociationInfo{FileID: a.FileID, ObjectID: a.ObjectID, ObjectGroup: a.ObjectGroup,
			ObjectType: a.ObjectType, Created: a.Created})
	}
	return out
}

// FilesFor lists the files associated with a contact, so a test can assert
// "each document exactly once, on the right contact".
func (s *Server) FilesFor(tenantID, contactID string) []FileInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tenantLocked(tenantID)
	if err != nil {
		return nil
	}
	var out []FileInfo
	for _, a := range t.assocs {
		if a.ObjectID == strings.ToLower(contactID) {
			if f := t.files[a.FileID]; f != nil {
				out = append(out, f.info())
			}
		}
	}
	return out
}
