//go:build !linux && !windows

package notify

import "context"

// System has no notification service on this system yet (macOS wants a
// signed .app for UNUserNotificationCenter).
func System(string) Closer { return none{} }

type none struct{}

func (none) Send(context.Context, Note) error { return ErrUnavailable }
func (none) Close() error                     { return nil }
