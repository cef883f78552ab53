package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"chase.md/backend/config"
	"chase.md/backend/owner"
)

// The app owns its data folder from startup to shutdown: a command cannot
// take it meanwhile, and an app started while `chase watch` holds it opens
// nothing and says who holds it, in the accountant's words.
func TestAppOwnsTheDataFolder(t *testing.T) {
	dir := t.TempDir()
	a := newTestApp(t, config.Config{DataDir: dir}, Options{})
	if _, err := a.Status.Info(); err != nil {
		t.Fatal(err)
	}
	var held *owner.HeldError
	if _, err := owner.Acquire(dir, owner.Holder{Program: owner.Watch}); !errors.As(err, &held) || held.By.Program != owner.App {
		t.Fatalf("chase watch while the app is open: %v", err)
	}
	a.shutdown(context.Background())

	w, err := owner.Acquire(dir, owner.Holder{Program: owner.Watch})
	if err != nil {
		t.Fatalf("chase watch after the app closed: %v", err)
	}
	defer w.Release()
	b := newTestApp(t, config.Config{DataDir: dir}, Options{})
	_, err = b.Status.Info()
	want := fmt.Sprintf("`chase watch` is running on this computer (process %d); stop it (Ctrl-C in its window) and open chase.md again.", os.Getpid())
	if ui := toUIError(err); ui.Code != "data_folder_in_use" || ui.Message != want {
		t.Fatalf("app while chase watch runs: %+v, want %q", ui, want)
	}
}
