package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Tenant types as Xero reports them. The XPM practice's type is not in the
// spec; Xero sends PRACTICEMANAGER.
const (
	TenantOrganisation = "ORGANISATION"
	TenantPractice     = "PRACTICEMANAGER"
)

// Tenant is one Xero connection: an organisation or an XPM practice the user
// authorised. ID is the connection (for Disconnect); TenantID goes in the
// xero-tenant-id header.
type Tenant struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"tenantId"`
	TenantType string    `json:"tenantType"` // TenantOrganisation, TenantPractice, …
	TenantName string    `json:"tenantName"`
	Created    time.Time `json:"createdDateUtc"`
}

type wireTenant struct {
	ID             string `json:"id"`
	TenantID       string `json:"tenantId"`
	TenantType     string `json:"tenantType"`
	TenantName     string `json:"tenantName"`
	CreatedDateUTC string `json:"createdDateUtc"`
}

// ListTenants calls GET {apiURL}/connections with an authorised client.
func ListTenants(ctx context.Context, hc *http.Client, apiURL string) ([]Tenant, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL+"/connections", nil)
	if err != nil {
		return nil, fmt.Errorf("auth: list connections: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: list connections: %w", err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{Op: "list connections", Status: resp.StatusCode}
	}
	var wire []wireTenant
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&wire); err != nil {
		return nil, fmt.Errorf("auth: list connections: decode: %w", err)
	}
	out := make([]Tenant, 0, len(wire))
	for _, w := range wire {
		created, err := parseXeroTime(w.CreatedDateUTC)
		if err != nil {
			return nil, fmt.Errorf("auth: list connections: tenant %s: createdDateUtc: %w", w.TenantID, err)
		}
		out = append(out, Tenant{ID: w.ID, TenantID: w.TenantID, TenantType: w.TenantType, TenantName: w.TenantName, Created: created})
	}
	return out, nil
}

// DisconnectTenant calls DELETE {apiURL}/connections/{id}.
func DisconnectTenant(ctx context.Context, hc *http.Client, apiURL, connectionID string) error {
	if connectionID == "" {
		return errors.New("auth: disconnect: empty connection id")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, apiURL+"/connections/"+url.PathEscape(connectionID), nil)
	if err != nil {
		return fmt.Errorf("auth: disconnect %s: %w", connectionID, err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("auth: disconnect %s: %w", connectionID, err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return &HTTPError{Op: "disconnect " + connectionID, Status: resp.StatusCode}
	}
	return nil
}

// Tenants lists this connection's tenants.
func (c *Connection) Tenants(ctx context.Context) ([]Tenant, error) {
	return ListTenants(ctx, c.Client(ctx), c.opts.Endpoints.APIURL)
}

// Disconnect removes one tenant from this sign-in; the sign-in itself stays.
func (c *Connection) Disconnect(ctx context.Context, connectionID string) error {
	return DisconnectTenant(ctx, c.Client(ctx), c.opts.Endpoints.APIURL, connectionID)
}

// SignOut revokes the refresh token at Xero (which ends its access tokens
// too), deletes the stored token and moves to SignedOut. Local history (the
// database) is not touched. The stored token is deleted even when the
// revocation fails; that failure is still reported.
func (c *Connection) SignOut(ctx context.Context) error {
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	var errs []error
	rt := ""
	if c.pending != nil {
		rt = c.pending.RefreshToken
	} else if c.tok != nil {
		rt = c.tok.RefreshToken
	}
	if rt != "" {
		if err := c.revoke(ctx, rt); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.opts.Store.Delete(ctx, c.opts.Key); err != nil {
		errs = append(errs, fmt.Errorf("auth: sign out: delete stored token: %w", err))
	}
	c.tok, c.pending = nil, nil
	c.mu.Lock()
	c.status = Status{State: c.state}
	c.mu.Unlock()
	c.setState(SignedOut, "")
	return errors.Join(errs...)
}

func (c *Connection) revoke(ctx context.Context, refreshToken string) error {
	form := url.Values{
		"token":           {refreshToken},
		"token_type_hint": {"refresh_token"},
		"client_id":       {c.opts.ClientID},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.Endpoints.revocationURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("auth: revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		// *url.Error names the URL only; the form body is not in it.
		return fmt.Errorf("auth: revoke at Xero: %w", err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return &HTTPError{Op: "revoke", Status: resp.StatusCode}
	}
	return nil
}

func drainClose(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 64<<10))
	_ = b.Close()
}

// parseXeroTime reads Xero's identity timestamps, which come without a zone
// ("2019-12-07T18:46:19.5165400", UTC) or, defensively, in RFC 3339.
func parseXeroTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.9999999", s, time.UTC)
}
