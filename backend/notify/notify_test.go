package notify

import (
	"context"
	"testing"
)

func TestComposeWordsOneBurst(t *testing.T) {
	for _, c := range []struct {
		name string
		in   burst
		want Note
	}{
		{"filed", burst{filed: 12}, Note{Summary: "12 documents filed", Body: "They are in Xero, attached to their clients."}},
		{"one filed", burst{filed: 1}, Note{Summary: "1 document filed", Body: "They are in Xero, attached to their clients."}},
		{"review", burst{review: 3}, Note{Summary: "3 need you in Review", Body: "Open Review in chase.md to say where they go."}},
		{"one review", burst{review: 1}, Note{Summary: "1 needs you in Review", Body: "Open Review in chase.md to say where they go."}},
		{"both", burst{filed: 12, review: 3}, Note{Summary: "12 documents filed · 3 need you in Review",
			Body: "They are in Xero, attached to their clients.\nOpen Review in chase.md to say where they go."}},
		{"problem", burst{filed: 2, problems: []string{"Xero needs you to sign in again."}}, Note{Summary: "chase.md needs you · 2 documents filed",
			Body: "Xero needs you to sign in again.", Urgent: true}},
		{"many problems", burst{problems: []string{"a", "b", "c", "d", "e"}}, Note{Summary: "5 problems need you",
			Body: "a\nb\nc\n…and 2 more. Open chase.md to see them.", Urgent: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := compose(c.in); got != c.want {
				t.Errorf("compose(%+v) =\n%+v\nwant\n%+v", c.in, got, c.want)
			}
		})
	}
}

// recorder is a Sender that keeps what it was asked to show.
type recorder struct{ notes chan Note }

func (r recorder) Send(_ context.Context, n Note) error { r.notes <- n; return nil }

func TestBatcherSendsOneNotePerBurstAndHonoursTheSwitch(t *testing.T) {
	r := recorder{notes: make(chan Note, 10)}
	on := true
	asked := make(chan bool, 10)
	b := New(r, Options{Quiet: 1, Enabled: func(context.Context) bool { asked <- on; return on }})
	for range 12 {
		b.Filed(1)
	}
	b.Problem("The folder Scans is gone.")
	b.Problem("The folder Scans is gone.")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Serve(ctx) }()
	n := <-r.notes
	if n.Summary != "chase.md needs you · 12 documents filed" || n.Body != "The folder Scans is gone." || !n.Urgent {
		t.Errorf("note = %+v", n)
	}
	<-asked
	on = false
	b.Review(3)
	<-asked // the second burst is due, and the person switched notes off
	cancel()
	<-done
	if len(r.notes) != 0 {
		t.Errorf("notes after the switch went off: %+v", <-r.notes)
	}
}
