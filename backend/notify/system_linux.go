package notify

// System is the desktop's notification service: freedesktop.org's over D-Bus.
func System(appName string) Closer { return &DBus{AppName: appName, Icon: "chase-md"} }
