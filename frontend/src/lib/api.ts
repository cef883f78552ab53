// The only module that calls the generated Wails bindings (frontend/wailsjs).
// Screens import from here, so a binding that changes shape changes one file,
// and every rejected call arrives as an ApiError with the Go side's {code, message}.
import * as Status from '../../wailsjs/go/app/StatusService'
import * as Settings from '../../wailsjs/go/app/SettingsService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import type { app } from '../../wailsjs/go/models'

export type Info = app.Info
export type Preferences = app.Preferences

/** An error from the Go side, shaped by app.FormatError. */
export class ApiError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/** Turns whatever a rejected binding promise carried into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message } = e as { code: unknown; message: unknown }
    return new ApiError(String(code), String(message))
  }
  if (typeof e === 'string') return new ApiError('internal', e)
  if (e instanceof Error) return new ApiError('internal', e.message)
  return new ApiError('internal', 'Something went wrong.')
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
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
  completeFirstRun: () => call(() => Settings.CompleteFirstRun()),
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
