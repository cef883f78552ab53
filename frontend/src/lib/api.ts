// The only module that calls the generated Wails bindings (frontend/wailsjs).
// Screens import from here, so a binding that changes shape changes one file,
// and every rejected call arrives as an ApiError with the Go side's {code, message}.
import * as Status from '../../wailsjs/go/app/StatusService'
import * as Settings from '../../wailsjs/go/app/SettingsService'
import * as Update from '../../wailsjs/go/app/UpdateService'
import { BrowserOpenURL, ClipboardSetText, EventsOn } from '../../wailsjs/runtime/runtime'
import type { app } from '../../wailsjs/go/models'

export type Info = app.Info

/** core.ConnState: the one connection state every screen shows (times as RFC 3339 strings). */
export interface ConnState {
  kind: 'signed_out' | 'connected' | 'syncing' | 'unreachable' | 'reauth' | 'limit'
  until?: string
  attempt?: number
  page?: number
  pageCount?: number
  message: string
  since: string
}
export type Preferences = app.Preferences
export type UpdateInfo = app.UpdateInfo

/** An error from the Go side, shaped by app.FormatError. */
export class ApiError extends Error {
  readonly code: string
  /** What to offer beside the message: 'signin' is a Sign in again button. */
  readonly action: string
  constructor(code: string, message: string, action = '') {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.action = action
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
  if (isCodeMessage(e)) return fromCodeMessage(e)
  return new ApiError('internal', 'Something went wrong.')
}

function fromCodeMessage(v: { code: unknown; message: unknown; action?: unknown }): ApiError {
  return new ApiError(String(v.code), String(v.message), typeof v.action === 'string' ? v.action : '')
}

function isCodeMessage(v: unknown): v is { code: unknown; message: unknown } {
  return !!v && typeof v === 'object' && 'code' in v && 'message' in v
}

function parseCodeMessage(text: string): ApiError | null {
  if (!text.startsWith('{')) return null
  try {
    const v: unknown = JSON.parse(text)
    return isCodeMessage(v) ? fromCodeMessage(v) : null
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
  /** Job moves in XPM (issue 11): through window.go until the regenerated bindings list it. */
  setXPMJobWrite: (on: boolean) =>
    call(() => (window as unknown as { go: { app: { SettingsService: { SetXPMJobWrite: (on: boolean) => Promise<Preferences> } } } }).go.app.SettingsService.SetXPMJobWrite(on)),
  completeFirstRun: () => call(() => Settings.CompleteFirstRun()),
  connection: () => call(() => Status.Connection()) as Promise<ConnState>,
  retryNow: () => call(() => Status.RetryNow()) as Promise<ConnState>,
  diagnostics: () => call(() => Status.Diagnostics()),
  openLogFolder: () => call(() => Status.OpenLogFolder()),
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

/** Copies text with the Wails clipboard, falling back to the browser's. */
export async function copyText(text: string): Promise<void> {
  try {
    if (await ClipboardSetText(text)) return
  } catch {
    // no Wails runtime (a plain browser): try the web clipboard below
  }
  await navigator.clipboard.writeText(text)
}
