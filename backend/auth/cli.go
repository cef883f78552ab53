package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
)

// LoginCLI is `chase login`: it prints the consent URL (and opens it with
// opts.OpenURL when set), waits for the sign-in, falls back to no XPM scopes
// if Xero refuses them, and lists the connected tenants.
func LoginCLI(ctx context.Context, opts Options, xpm bool, stdout io.Writer) error {
	open := opts.OpenURL
	opts.OpenURL = func(u string) error {
		fmt.Fprintf(stdout, "Sign in to Xero in your browser. If it does not open, visit:\n\n  %s\n\n", u)
		if open != nil {
			_ = open(u) // the URL is printed: a browser that fails to open is not fatal
		}
		return nil
	}
	c, err := Open(ctx, opts)
	if err != nil {
		return err
	}
	err = c.Login(ctx, Scopes(xpm))
	if xpm && errors.Is(err, ErrScopeRefused) {
		fmt.Fprintln(stdout, "Xero did not grant Practice Manager access; signing in again without it (XPM features stay off).")
		err = c.Login(ctx, Scopes(false))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Signed in to Xero.")
	return printTenants(ctx, c, stdout)
}

// LogoutCLI is `chase logout`: revoke at Xero and delete the stored token.
func LogoutCLI(ctx context.Context, opts Options, stdout io.Writer) error {
	c, err := Open(ctx, opts)
	if err != nil {
		return err
	}
	if c.State() == SignedOut {
		fmt.Fprintln(stdout, "Not signed in.")
		return nil
	}
	if err := c.SignOut(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Signed out of Xero; the stored sign-in was deleted.")
	return nil
}

// TenantsCLI is `chase tenants`: list the organisations and practices this
// sign-in can reach.
func TenantsCLI(ctx context.Context, opts Options, stdout io.Writer) error {
	c, err := Open(ctx, opts)
	if err != nil {
		return err
	}
	if c.State() == SignedOut {
		return fmt.Errorf("%w: run `chase login` first", ErrSignedOut)
	}
	return printTenants(ctx, c, stdout)
}

func printTenants(ctx context.Context, c *Connection, w io.Writer) error {
	ts, err := c.Tenants(ctx)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		fmt.Fprintln(w, "No organisations are connected.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tTENANT ID\tCONNECTION ID\tCONNECTED")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.TenantName, t.TenantType, t.TenantID, t.ID, t.Created.Format("2006-01-02"))
	}
	return tw.Flush()
}
