package app

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/core"
)

// BenchmarkChaseScreen10k is the chase screen of the 10,000-contact demo
// practice (about 5,400 rows) as the UI uses it: Status, the first page
// right after the list changed (a rebuild), the whole list, a page, a
// filter and a sort of the kept list, one chase email, and emails for a
// hundred clients. Each figure is the median of b.N rounds.
func BenchmarkChaseScreen10k(b *testing.B) {
	a, sess, _ := demoChaseN(b, 10000, core.ChaseFiles{})
	s := a.Chase
	// The demo practice knows which contact each client is: score the
	// automatic links against it too.
	truth := map[string]string{}
	for _, c := range sess.Sandbox.Practice().Clients() {
		truth[strings.ToLower(c.UUID)] = strings.ToLower(c.ContactID)
	}
	ls, err := s.Links(chase.LinkFilter{})
	if err != nil {
		b.Fatal(err)
	}
	auto, right, real, sureWrong := 0, 0, 0, 0
	for _, l := range ls.Links {
		want := truth[strings.ToLower(l.ClientUUID)]
		if want != "" {
			real++
		}
		if l.Status == chase.StatusAuto {
			auto++
			if strings.EqualFold(l.ContactID, want) {
				right++
			} else if l.Sure {
				sureWrong++
			}
		}
	}
	fmt.Printf("bench: link_demo10k_clients %d clients (%d auto, %d sure, %d ambiguous, %d unmatched)\n", len(ls.Links),
		ls.Counts.Auto, ls.Counts.Sure, ls.Counts.Ambiguous, ls.Counts.Unmatched)
	fmt.Printf("bench: link_demo10k_precision %.4f ratio (goal >= 0.99)\n", float64(right)/float64(max(auto, 1)))
	fmt.Printf("bench: link_demo10k_recall %.4f ratio (goal >= 0.9)\n", float64(right)/float64(max(real, 1)))
	fmt.Printf("bench: link_demo10k_sure_wrong %d links\n", sureWrong)
	times := map[string][]float64{}
	timeIt := func(name string, f func() error) {
		t0 := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		times[name] = append(times[name], float64(time.Since(t0).Microseconds())/1000)
	}
	rows, links := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timeIt("status", func() error { _, err := s.Status(); return err })
		// A change (a sync, a mark): the list is rebuilt in the background and
		// chase:changed follows; the UI then asks for its first page.
		s.changed()
		timeIt("rebuild_after_change", func() error {
			for !s.built() {
				time.Sleep(time.Millisecond)
			}
			return nil
		})
		timeIt("first_page", func() error { _, err := s.List(ChaseQuery{Limit: 100}); return err })
		var all ChaseList
		timeIt("whole_list", func() (err error) { all, err = s.List(ChaseQuery{}); return err })
		// A List that has to build the list itself (nothing built yet).
		s.cache.mu.Lock()
		s.cache.version++
		s.cache.mu.Unlock()
		timeIt("first_page_unbuilt", func() error { _, err := s.List(ChaseQuery{Limit: 100}); return err })
		rows = all.Total
		timeIt("page", func() error { _, err := s.List(ChaseQuery{Offset: 2000, Limit: 100}); return err })
		timeIt("filter", func() error { _, err := s.List(ChaseQuery{Text: "smith", OverdueOnly: true, Limit: 100}); return err })
		timeIt("sort", func() error { _, err := s.List(ChaseQuery{Sort: "client", Desc: true, Limit: 100}); return err })
		timeIt("email", func() error { _, err := s.ChaseEmail(all.Rows[i%len(all.Rows)].ClientKey); return err })
		keys := make([]string, 0, 100)
		for _, r := range all.Rows[:100] {
			keys = append(keys, r.ClientKey)
		}
		timeIt("emails_100", func() error { _, err := s.EmailsFor(keys); return err })
		timeIt("links", func() error { _, err := s.Links(chase.LinkFilter{}); return err })
		var sure []string
		timeIt("confirm_sure_links", func() (err error) { sure, err = s.ConfirmSureLinks(); return err })
		timeIt("undo_confirm_sure_links", func() error { _, err := s.UndoLinks(sure); return err })
		links = len(sure)
	}
	b.StopTimer()
	goals := map[string]string{"first_page": " (goal < 300)", "first_page_unbuilt": " (goal < 300)", "whole_list": " (goal < 1000)",
		"rebuild_after_change": " (goal < 1000)",
		"filter":               " (goal < 100)", "sort": " (goal < 100)", "page": " (goal < 100)", "email": " (goal < 100)"}
	fmt.Printf("bench: chase.screen10k_rows %d rows\n", rows)
	fmt.Printf("bench: chase.screen10k_sure_links %d links\n", links)
	for _, name := range []string{"status", "rebuild_after_change", "first_page", "whole_list", "first_page_unbuilt", "page", "filter", "sort", "email", "emails_100", "links", "confirm_sure_links", "undo_confirm_sure_links"} {
		ts := times[name]
		sort.Float64s(ts)
		fmt.Printf("bench: chase.screen10k_%s_ms %.1f ms%s\n", name, ts[len(ts)/2], goals[name])
	}
}
