package upload

import (
	"slices"
	"strings"
	"testing"

	"chase.md/backend/sandbox"
	"chase.md/backend/syncer"
)

// TestDroppedFileGoesAheadOfBackgroundSync runs a background full sync of
// 80 pages through the same tenant's pacer as the queue, under the sandbox's
// real limits on a clock where a minute lasts 10 s. The first 50 pages go in
// a burst (the minute's budget less the interactive headroom); after that the
// sync waits for each page's turn (one every 167 ms; small pages, so it is
// nearly always waiting). A file dropped on a client in that part of the sync
// must be uploaded and linked before the sync gets another page: the
// sandbox's log, in order of arrival, shows no page between the upload and
// its link, and pages before and after them. (Served first come, first
// served, the order is ppppupappp….)
func TestDroppedFileGoesAheadOfBackgroundSync(t *testing.T) {
	const burst = 50 // background calls a fresh minute lets go at once
	e := newEnv(t, sandbox.Options{Contacts: 800, LimitScale: 6})
	s := syncer.New(e.db, func(string) syncer.ContactLister { return e.client(e.tenant) }, syncer.Options{PageSize: 10})
	q := e.queue(Options{})
	e.serve(q)
	ctx := waitCtx(t)

	midSync := make(chan struct{})
	synced := make(chan error, 1)
	go func() {
		_, err := s.Full(ctx, e.tenant, func(p syncer.Progress) { // background: the default priority
			if p.Page == burst+3 {
				close(midSync)
			}
		})
		synced <- err
	}()
	select {
	case <-midSync:
	case err := <-synced:
		t.Fatalf("sync ended before page %d: %v", burst+3, err)
	}
	enqueued := e.sb.Now()
	items, err := q.Enqueue(ctx, []Request{{Path: e.files(1, "Dropped")[0], TenantID: e.tenant, Contact: e.contacts(1)[0], Source: SourceDrop}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := q.Wait(ctx, ids(items)...)
	if err != nil || done[0].State != StateDone {
		t.Fatalf("upload: %+v, %v", done, err)
	}
	if err := <-synced; err != nil {
		t.Fatal(err)
	}

	reqs := e.sb.Requests()
	slices.SortStableFunc(reqs, func(a, b sandbox.Request) int { return a.Time.Compare(b.Time) })
	var order []string // "p" a contacts page, "u" the upload, "a" its link
	pagesBeforeUpload := 0
	for _, r := range reqs {
		switch {
		case r.Method == "GET" && strings.EqualFold(r.Path, "/api.xro/2.0/Contacts"):
			order = append(order, "p")
			if !r.Time.Before(enqueued) && !slices.Contains(order, "u") {
				pagesBeforeUpload++
			}
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/Associations"):
			order = append(order, "a")
		case r.Method == "POST" && strings.HasPrefix(r.Path, "/files.xro/1.0/Files"):
			order = append(order, "u")
		}
	}
	got := strings.Join(order, "")
	t.Logf("arrival order: %s", got)
	u, a := strings.Index(got, "u"), strings.Index(got, "a")
	if strings.Count(got, "p") != 80 || strings.Count(got, "u") != 1 || strings.Count(got, "a") != 1 {
		t.Fatalf("want 80 pages, one upload and one link: %s", got)
	}
	if a != u+1 {
		t.Errorf("sync pages went between the upload and its link: %s", got)
	}
	if u < burst+3 || len(got)-a-1 < 5 {
		t.Errorf("the upload did not run mid-sync: %s", got)
	}
	// The queue takes a moment to pick the file up; a page may go meanwhile,
	// not the rest of the sync.
	if pagesBeforeUpload > 1 {
		t.Errorf("%d sync pages were served after the drop and before its upload: %s", pagesBeforeUpload, got)
	}
}
