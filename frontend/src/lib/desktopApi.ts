// Bindings of app.DesktopService: notifications, starting at sign-in, closing the window.
import * as Desktop from '../../wailsjs/go/app/DesktopService'
import type { app } from '../../wailsjs/go/models'
import { call } from './api'

export type DesktopPrefs = app.DesktopPrefs

export const desktopApi = {
  get: () => call(() => Desktop.Get()),
  setNotifications: (on: boolean) => call(() => Desktop.SetNotifications(on)),
  setStartAtLogin: (on: boolean) => call(() => Desktop.SetStartAtLogin(on)),
  setKeepRunning: (on: boolean) => call(() => Desktop.SetKeepRunning(on)),
  quit: () => call(() => Desktop.Quit()),
}
