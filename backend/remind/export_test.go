package remind

// SetTestHooks runs claimed after a reminder's claim is committed and sent
// after the mail server answered (before the outcome is recorded).
func SetTestHooks(claimed func(Item), sent func(Item, error)) {
	testHookClaimed, testHookSent = claimed, sent
}

// Cycle is the reminder's chase start (ms), part of its identity.
func (it Item) Cycle() int64 { return it.cycle }
