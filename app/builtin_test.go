package app

import (
	"testing"

	"chase.md/backend/config"
)

// A release build with chase.md's own Xero app needs no client ID entered: the UI
// is told so, and puts "use my own Xero app" under Advanced.
func TestInfoWithTheBuiltinClientID(t *testing.T) {
	a := newTestApp(t, config.Config{BuiltinClientID: "CHASEMDBUILTIN00000000000000000A"}, Options{})
	info, err := a.Status.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !info.ClientIDSet || !info.BuiltinApp {
		t.Fatalf("Info: clientIdSet=%v builtinApp=%v, want both", info.ClientIDSet, info.BuiltinApp)
	}
	plain := newTestApp(t, config.Config{}, Options{})
	if info, _ := plain.Status.Info(); info.ClientIDSet || info.BuiltinApp {
		t.Fatalf("without a built-in ID: clientIdSet=%v builtinApp=%v, want neither", info.ClientIDSet, info.BuiltinApp)
	}
}
