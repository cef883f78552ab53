package main

import (
	"context"

	"chase.md/backend/sandbox"
)

// startSandbox starts the embedded Xero sandbox for demo mode on a free
// loopback port; it stops when ctx (the demo session) ends.
func startSandbox(ctx context.Context) (string, error) {
	return sandbox.New(sandbox.Options{AutoConsent: true}).Start(ctx, "127.0.0.1:0")
}
