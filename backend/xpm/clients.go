package xpm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// PageSize is the largest page client.api/paged-list allows.
const PageSize = 500

// maxPages stops a server whose Next never ends (500 × 10,000 clients).
const maxPages = 10_000

// Clients lists the practice's active clients with client.api/paged-list,
// following <Pagination><Links><Next>, and falls back to client.api/list
// where the paged method is absent. Paged clients carry no contact persons
// and omit archived clients; ClientList has both.
func (c *Client) Clients(ctx context.Context) ([]PracticeClient, error) {
	var out []PracticeClient
	q := url.Values{"pageSize": {strconv.Itoa(PageSize)}}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("xpm: clients: more than %d pages", maxPages)
		}
		var r clientsResponse
		if err := c.get(ctx, "/client.api/paged-list", q, &r); err != nil {
			if page == 1 && errors.Is(err, ErrUnsupported) {
				return c.ClientList(ctx, false)
			}
			return nil, fmt.Errorf("xpm: clients page %d: %w", page, err)
		}
		out = append(out, r.Clients...)
		next := r.Pagination.Links.Next
		if next == "" {
			return out, nil
		}
		// Next is an absolute URL on Xero's host; only its query matters,
		// so the sandbox and a proxy work the same.
		u, err := url.Parse(next)
		if err != nil {
			return nil, fmt.Errorf("xpm: clients page %d: next link %q: %w", page, next, err)
		}
		nq := u.Query()
		tok := nq.Get("pageToken")
		if tok == "" || seen[tok] {
			return nil, fmt.Errorf("xpm: clients page %d: next link %q does not advance", page, next)
		}
		seen[tok] = true
		if nq.Get("pageSize") == "" {
			nq.Set("pageSize", strconv.Itoa(PageSize))
		}
		q = nq
	}
}

// ClientList lists every client at once (client.api/list), archived ones and
// contact persons included; detailed adds notes and groups.
func (c *Client) ClientList(ctx context.Context, detailed bool) ([]PracticeClient, error) {
	var q url.Values
	if detailed {
		q = url.Values{"detailed": {"true"}}
	}
	var r clientsResponse
	if err := c.get(ctx, "/client.api/list", q, &r); err != nil {
		return nil, err
	}
	return r.Clients, nil
}

// Client fetches one client with its contacts (client.api/get/{uuid}).
func (c *Client) Client(ctx context.Context, uuid string) (PracticeClient, error) {
	var r clientResponse
	if err := c.get(ctx, "/client.api/get/"+url.PathEscape(uuid), nil, &r); err != nil {
		return PracticeClient{}, err
	}
	return r.Client, nil
}
