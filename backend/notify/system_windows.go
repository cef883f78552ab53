package notify

// System is the desktop's notification service: Windows toasts.
func System(appName string) Closer { return &Toast{AppID: appName} }
