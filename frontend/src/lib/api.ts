// The only module that calls the generated Wails bindings (frontend/wailsjs).
// Screens import from here, so a binding that changes shape changes one file,
// and every rejected call arrives as an ApiError with the Go side's {code, message}.
import * as Status from '../../wailsjs/go/app/StatusService'
import * as Settings from '../../wailsjs/go/app/SettingsService'
import * as Update from '../../wailsjs/go/app/UpdateService'
import { BrowserOpenURL, EventsOn } from '../../wailsjs/runtime/runtime'
import type { app } from '../../wailsjs/go/models'

export type Info = app.Info
export type Preferences = app.Preferences
export type UpdateInfo = app.UpdateInfo

/** An error from the Go side, shaped by app.FormatError. */
export class ApiError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/**
 * Turns whatever a rejected binding promise carried into an ApiError. The Go
 * formatter sends {code, message} as a JSON string, because the Wails runtime
 * wraps errors in `new Error(…)` (an object would become "[object Object]").
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : null
  if (text !== null) {
    const parsed = parseCodeMessage(text)
    return parsed ?? new ApiError('internal', text)
  }
  if (isCodeMessage(e)) return new ApiError(String(e.code), String(e.message))
  return new ApiError('internal', 'Something went wrong.')
}

function isCodeMessage(v: unknown): v is { code: unknown; message: unknown } {
  return !!v && typeof v === 'object' && 'code' in v && 'message' in v
}

function parseCodeMessage(text: string): ApiError | null {
  if (!text.startsWith('{')) return null
  try {
    const v: unknown = JSON.parse(text)
    return isCodeMessage(v) ? new ApiError(String(v.code), String(v.message)) : null
  } catch {
    return null
  }
}

export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw toApiError(e)
  }
}

export const api = {
  info: () => call(() => Status.Info()),
  setDemo: (on: boolean) => call(() => Status.SetDemo(on)),
  preferences: () => call(() => Settings.Get()),
  setLastScreen: (screen: string) => call(() => Settings.SetLastScreen(screen)),
  setXeroClientId: (id: string) => call(() => Settings.SetXeroClientID(id)),
  setXPMAccess: (on: boolean) => call(() => Settings.SetXPMAccess(on)),
  completeFirstRun: () => call(() => Settings.CompleteFirstRun()),
  /** Reads the signed release feed; never installs anything. */
  checkUpdate: () => call(() => Update.Check()),
  /** Opens a web address in the system browser (not inside the app's window). */
  openInBrowser: (url: string) => BrowserOpenURL(url),
}

/**
 * Subscribes to a Go event (see events.ts) and returns the unsubscribe function;
 * call it from onDestroy or an $effect's cleanup. Outside the app (unit tests,
 * a plain browser) there is no runtime and this is a no-op.
 */
export function onEvent<T = unknown>(name: string, cb: (data: T) => void): () => void {
  if (typeof window === 'undefined' || !(window as unknown as { runtime?: unknown }).runtime) {
    return () => {}
  }
  return EventsOn(name, (data: T) => cb(data))
}
