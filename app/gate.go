package app

import "sync"

// gate counts the bound calls working with a session, so that closing the
// session waits for them (stop → wait → close) and refuses new ones: no call
// from the window writes to a database that shutdown or a switch between the
// demo and the practice's own Xero has closed under it.
//
// A call that comes in while the gate drains is refused with ErrClosing
// rather than queued: it may be nested inside a call that drain is waiting
// for, and must not wait for drain in turn.
type gate struct {
	mu      sync.Mutex
	inUse   int
	closing bool
	idle    chan struct{} // closed when the last call leaves a closing gate
}

// enter admits a call; false once the gate drains. Every true is paired
// with one leave.
func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return false
	}
	g.inUse++
	return true
}

func (g *gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inUse--
	if g.inUse == 0 && g.closing {
		close(g.idle)
	}
}

// drain refuses new calls and waits for those admitted to leave.
func (g *gate) drain() {
	g.mu.Lock()
	if g.closing {
		g.mu.Unlock()
		<-g.idle
		return
	}
	g.closing = true
	g.idle = make(chan struct{})
	if g.inUse == 0 {
		close(g.idle)
	}
	g.mu.Unlock()
	<-g.idle
}

// draining reports whether drain has begun (tests wait for it).
func (g *gate) draining() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closing
}
