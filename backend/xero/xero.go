// Package xero is chase.md's client for Xero's Accounting API (Contacts) and
// Files API, for one tenant. Transport, retries and pacing are backend/rest's;
// the wire types are in xero/api.
package xero

import (
	"chase.md/backend/rest"
)

// Path prefixes below the API host (https://api.xero.com, or the sandbox).
const (
	accountingPath = "/api.xro/2.0"
	filesPath      = "/files.xro/1.0"
)

// Client talks to one tenant (organisation). It is safe for concurrent use;
// its calls share the tenant's pacer with every other client of the tenant
// made from the same rest.Client (or the same rest.Pacers).
type Client struct {
	rc     *rest.Client
	tenant string
}

// New makes a client for tenantID over rc, whose base URL is the API host.
func New(rc *rest.Client, tenantID string) *Client {
	return &Client{rc: rc, tenant: tenantID}
}

// TenantID is the tenant the client talks to.
func (c *Client) TenantID() string { return c.tenant }

// Pacer is the tenant's pacer, for its Stats (calls used, budget left).
func (c *Client) Pacer() *rest.Pacer { return c.rc.Pacers().For(c.tenant) }
