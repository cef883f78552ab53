// Package notify shows chase.md's desktop notifications: what was filed in a
// burst of work, what waits in Review, and problems that need a person. It
// batches: one notification per burst, never one per file.
package notify

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Note is one desktop notification.
type Note struct {
	Summary string
	Body    string
	Urgent  bool // a problem that needs a person: shown until dismissed where the desktop allows
}

// Sender shows a note on the desktop: D-Bus on Linux, a toast on Windows.
type Sender interface {
	Send(ctx context.Context, n Note) error
}

// Options tune a Batcher. Zero values take the defaults.
type Options struct {
	// Quiet ends a burst: the note goes out once nothing new came for this long (default 4 s).
	Quiet time.Duration
	// MaxWait caps a burst that never goes quiet (default 30 s).
	MaxWait time.Duration
	// Enabled is the person's switch, read when a note is due (nil: always on).
	Enabled func(ctx context.Context) bool
	// Failed is told when a note could not be shown (nil: ignored).
	Failed func(err error)
}

// Batcher collects what happened and shows it as one note per burst. Its
// methods never block; Serve does the sending.
type Batcher struct {
	send Sender
	opts Options
	kick chan struct{} // 1-buffered: something is pending

	mu      sync.Mutex
	pending burst
}

type burst struct {
	filed    int
	review   int
	problems []string
}

func (b burst) empty() bool { return b.filed == 0 && b.review == 0 && len(b.problems) == 0 }

// New returns a Batcher that shows its notes with s.
func New(s Sender, opts Options) *Batcher {
	if opts.Quiet <= 0 {
		opts.Quiet = 4 * time.Second
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 30 * time.Second
	}
	return &Batcher{send: s, opts: opts, kick: make(chan struct{}, 1)}
}

// Filed counts documents filed in Xero.
func (b *Batcher) Filed(n int) { b.add(func(p *burst) { p.filed += n }) }

// Review counts documents that wait for a person in Review.
func (b *Batcher) Review(n int) { b.add(func(p *burst) { p.review += n }) }

// Problem records something only a person can fix, in words for them.
func (b *Batcher) Problem(words string) {
	b.add(func(p *burst) {
		for _, w := range p.problems {
			if w == words {
				return // the same problem twice in a burst is one problem
			}
		}
		p.problems = append(p.problems, words)
	})
}

func (b *Batcher) add(f func(*burst)) {
	b.mu.Lock()
	f(&b.pending)
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Serve sends one note per burst until ctx ends. A burst starts with the
// first event and ends after Options.Quiet without one, or at Options.MaxWait.
func (b *Batcher) Serve(ctx context.Context) error {
	for {
		select {
		case <-b.kick:
		case <-ctx.Done():
			return ctx.Err()
		}
		deadline := time.NewTimer(b.opts.MaxWait)
		quiet := time.NewTimer(b.opts.Quiet)
	burst:
		for {
			select {
			case <-b.kick:
				quiet.Reset(b.opts.Quiet)
			case <-quiet.C:
				break burst
			case <-deadline.C:
				break burst
			case <-ctx.Done():
				deadline.Stop()
				quiet.Stop()
				return ctx.Err()
			}
		}
		deadline.Stop()
		quiet.Stop()
		b.flush(ctx)
	}
}

func (b *Batcher) flush(ctx context.Context) {
	b.mu.Lock()
	p := b.pending
	b.pending = burst{}
	b.mu.Unlock()
	if p.empty() || (b.opts.Enabled != nil && !b.opts.Enabled(ctx)) {
		return
	}
	if err := b.send.Send(ctx, compose(p)); err != nil && ctx.Err() == nil && b.opts.Failed != nil {
		b.opts.Failed(fmt.Errorf("notify: %w", err))
	}
}

// compose words a burst as one note: the headline is what happened, the
// problems (which need a person) come first and make it urgent.
func compose(p burst) Note {
	var heads, lines []string
	switch {
	case len(p.problems) == 1:
		heads = append(heads, "chase.md needs you")
	case len(p.problems) > 1:
		heads = append(heads, fmt.Sprintf("%d problems need you", len(p.problems)))
	}
	if p.filed > 0 {
		heads = append(heads, plural(p.filed, "document", "documents")+" filed")
	}
	if p.review > 0 {
		heads = append(heads, fmt.Sprintf("%d need%s you in Review", p.review, map[bool]string{true: "s", false: ""}[p.review == 1]))
	}
	const shown = 3
	for i, w := range p.problems {
		if i == shown {
			lines = append(lines, fmt.Sprintf("…and %d more. Open chase.md to see them.", len(p.problems)-shown))
			break
		}
		lines = append(lines, w)
	}
	if p.filed > 0 && len(p.problems) == 0 {
		lines = append(lines, "They are in Xero, attached to their clients.")
	}
	if p.review > 0 {
		lines = append(lines, "Open Review in chase.md to say where they go.")
	}
	return Note{Summary: strings.Join(heads, " · "), Body: strings.Join(lines, "\n"), Urgent: len(p.problems) > 0}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Closer is a Sender that holds a connection to close at shutdown.
type Closer interface {
	Sender
	Close() error
}
