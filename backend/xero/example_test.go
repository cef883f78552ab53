package xero_test

import (
	"context"
	"fmt"
	"net/http"

	"chase.md/backend/rest"
	"chase.md/backend/xero"
)

// How the app wires the clients: one rest.Pacers for the whole app, so that
// every client of a tenant (sync, uploads, the UI) shares its budget; an
// *http.Client from backend/auth that adds the Bearer token; one xero.Client
// per tenant. Background work marks its ctx, uploads mark theirs Interactive.
func Example() {
	var authed *http.Client // from backend/auth (oauth2.NewClient over the persisting token source)
	pacers := rest.NewPacers()
	rc, err := rest.New(authed, "https://api.xero.com", rest.WithPacers(pacers), rest.WithVersion("1.0.0"))
	if err != nil {
		panic(err)
	}
	x := xero.New(rc, "tenant-id")

	sync := func(ctx context.Context) error {
		ctx = rest.WithPriority(ctx, rest.Background)
		page, err := x.ListContacts(ctx, xero.ListOptions{Page: 1, PageSize: 1000, IncludeArchived: true})
		if err != nil {
			return err // errors.Is(err, rest.ErrDailyBudgetReserved): stop for today, say so
		}
		fmt.Println(len(page.Contacts), "next incremental from", page.ServerTime)
		st := x.Pacer().Stats()
		fmt.Println("calls", st.Calls, "left today", st.DayRemaining)
		return nil
	}
	_ = sync
}
