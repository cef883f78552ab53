package upload

import "time"

// Events receives what the queue does; the app forwards it to the UI as
// Wails events (upload:progress, upload:item). Calls come from worker
// goroutines and must not block for long.
type Events interface {
	// ItemChanged reports an item's new state.
	ItemChanged(Item)
	// Progress reports bytes sent, at most about four times a second per item.
	Progress(Progress)
}

// Progress is bytes sent for one item and for the whole current batch
// (everything queued since the queue was last idle).
type Progress struct {
	ItemID    int64 `json:"itemId"`
	Sent      int64 `json:"sent"`
	Size      int64 `json:"size"`
	TotalSent int64 `json:"totalSent"`
	TotalSize int64 `json:"totalSize"`
}

type nopEvents struct{}

func (nopEvents) ItemChanged(Item)  {}
func (nopEvents) Progress(Progress) {}

// EventFuncs adapts functions to Events; nil fields are skipped.
type EventFuncs struct {
	OnItem     func(Item)
	OnProgress func(Progress)
}

func (e EventFuncs) ItemChanged(it Item) {
	if e.OnItem != nil {
		e.OnItem(it)
	}
}

func (e EventFuncs) Progress(p Progress) {
	if e.OnProgress != nil {
		e.OnProgress(p)
	}
}

// progress returns the callback for an upload of it: it books the bytes sent
// and emits at most one event per progressEvery, plus the last one.
func (q *Queue) progress(it *Item) func(sent int64) {
	var last time.Time
	id, size := it.ID, it.Size
	return func(sent int64) {
		q.mu.Lock()
		q.sentNow[id] = sent
		now := time.Now()
		if sent < size && now.Sub(last) < progressEvery {
			q.mu.Unlock()
			return
		}
		last = now
		p := Progress{ItemID: id, Sent: sent, Size: size, TotalSize: q.batchSize, TotalSent: q.batchDone}
		for _, n := range q.sentNow {
			p.TotalSent += n
		}
		p.TotalSent = min(p.TotalSent, p.TotalSize)
		q.mu.Unlock()
		q.opts.Events.Progress(p)
	}
}
