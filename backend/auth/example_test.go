package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"chase.md/backend/auth"
)

// How the app wires a connection: real mode keeps tokens in the keyring,
// demo mode in memory; sign-in falls back to no XPM when Xero refuses it;
// a queue worker pauses on ErrReauthRequired until the user reconnects.
func Example() {
	ctx := context.Background()
	var browserOpenURL func(string) error // Wails' runtime.BrowserOpenURL in the app

	ks := &auth.KeyringStore{}
	if err := ks.Check(ctx); err != nil {
		fmt.Println(err) // ErrKeyringUnavailable, with how to fix it
		return
	}
	conn, err := auth.Open(ctx, auth.Options{
		ClientID:  "YOUR-XERO-CLIENT-ID",
		Endpoints: auth.XeroEndpoints,
		Store:     ks,
		OpenURL:   browserOpenURL,
	})
	if err != nil {
		return
	}
	if conn.State() != auth.Connected {
		err := conn.Login(ctx, auth.Scopes(true))
		if errors.Is(err, auth.ErrScopeRefused) {
			err = conn.Login(ctx, auth.Scopes(false)) // and tell the user XPM is off
		}
		if err != nil {
			return
		}
	}
	hc := conn.Client(ctx) // give it to the Xero clients
	work := func() error {
		resp, err := hc.Get(auth.XeroEndpoints.APIURL + "/connections")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return nil
	}
	for {
		err := work()
		if !errors.Is(err, auth.ErrReauthRequired) {
			break // done, or a real failure
		}
		// Reconnect banner: nothing is marked failed; wait for the user.
		if conn.WaitConnected(ctx) != nil {
			return
		}
	}
}
