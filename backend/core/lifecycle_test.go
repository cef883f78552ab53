package core

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/store"
)

// Closing a session is stop → wait → close. Its loops write their outcome
// after being told to stop (the upload and filing workers finish a step with
// context.WithoutCancel): every such write reaches the database, Serve has
// returned when Close returns, and a closed session starts no loop. Closing
// the store first (the old order) loses the outcomes to "database is closed".
func TestCloseWaitsForEveryLoopBeforeClosingTheStore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	var once sync.Once
	serving := make(chan struct{})
	s, err := Open(ctx, Options{Config: config.Config{Demo: true, DataDir: data}, DemoContacts: 20,
		Events: Events{Auth: func(auth.Status) { once.Do(func() { close(serving) }) }}})
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	<-serving // Serve runs (its auth loop reported)

	const outcomes = 200
	var writeErr error
	s.Go(ctx, func(ctx context.Context) {
		<-ctx.Done() // told to stop by Close
		for i := range outcomes {
			if err := s.DB.SetSetting(context.WithoutCancel(ctx), fmt.Sprintf("test.outcome.%03d", i), i); err != nil {
				writeErr = fmt.Errorf("outcome %d: %w", i, err)
				return
			}
		}
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if writeErr != nil {
		t.Fatalf("a loop's outcome was written after the store closed: %v", writeErr)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	default:
		t.Fatal("Close returned while Serve was still running")
	}

	ran := false
	s.Go(ctx, func(context.Context) { ran = true })
	if err := s.Serve(ctx); err != nil || ran {
		t.Fatalf("a closed session ran a loop: Serve %v, Go ran %v", err, ran)
	}

	db, err := store.Open(ctx, filepath.Join(data, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range outcomes {
		var v int
		if ok, err := db.GetSetting(ctx, fmt.Sprintf("test.outcome.%03d", i), &v); err != nil || !ok || v != i {
			t.Fatalf("outcome %d after reopening: %v %v %d", i, ok, err, v)
		}
	}
}
