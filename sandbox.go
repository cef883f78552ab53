package main

import "context"

// startSandbox starts the embedded Xero sandbox for demo mode.
// TODO(lead): wire backend/sandbox once it builds:
//
//	return sandbox.New(sandbox.Options{AutoConsent: true}).Start(ctx, "127.0.0.1:0")
var startSandbox func(ctx context.Context) (string, error)
