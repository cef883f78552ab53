package auth

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"chase.md/backend/xerospec"
)

// TestConnectionRequestsMatchTheIdentitySpec records what the connection code
// sends to the sandbox (GET /connections, DELETE /connections/{id}) and
// validates each request against Xero's official identity spec.
func TestConnectionRequestsMatchTheIdentitySpec(t *testing.T) {
	spec, err := xerospec.Load(xerospec.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	rec := &xerospec.Recorder{Next: e.srv.Client().Transport}
	opts := e.opts(e.browser(nil))
	opts.HTTPClient = &http.Client{Transport: rec}
	conn, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := conn.Login(ctx, Scopes(true)); err != nil {
		t.Fatalf("Login: %v", err)
	}
	ts, err := conn.Tenants(ctx)
	if err != nil || len(ts) < 2 {
		t.Fatalf("Tenants: %v %v", ts, err)
	}
	if err := conn.Disconnect(ctx, ts[len(ts)-1].ID); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	if _, err := ListTenants(ctx, conn.Client(ctx), e.srv.URL); err != nil {
		t.Fatalf("ListTenants: %v", err)
	}

	var ops []string
	for _, r := range rec.Requests() {
		if !spec.Owns(r.Req.URL.Path) {
			continue // sign-in and token calls: not in the spec
		}
		route, err := spec.ValidateRequest(r.Req, r.Body)
		switch {
		case route == nil:
			t.Errorf("%s %s: no such operation in the spec: %v", r.Req.Method, r.Req.URL, err)
		case err != nil:
			t.Errorf("%s %s: %v", r.Req.Method, r.Req.URL, err)
		default:
			ops = append(ops, route.Operation.OperationID)
		}
	}
	for _, op := range []string{"getConnections", "deleteConnection"} {
		if !slices.Contains(ops, op) {
			t.Errorf("operation %s was not exercised (validated: %v)", op, ops)
		}
	}

	// The validator can fail: requests the connection code must never send.
	for _, bad := range []struct{ method, path string }{
		{http.MethodDelete, "/connections/not-a-guid"},
		{http.MethodGet, "/connections?authEventId=yesterday"},
		{http.MethodPost, "/connections"},
	} {
		req, _ := http.NewRequest(bad.method, e.srv.URL+bad.path, nil)
		if _, err := spec.ValidateRequest(req, nil); err == nil {
			t.Errorf("%s %s passed the request validator", bad.method, bad.path)
		}
	}
}
