// The toast area's state: short messages that fade on their own. One toast
// per action: a toast with the same key replaces the last one (the newer
// outcome of the same thing), and the same message is never shown twice.
// Errors stay until dismissed or until their cause clears: clearToasts(key)
// (an error's key is its code, e.g. 'no_client_id' once a client ID is saved,
// 'unreachable' once Xero answers again).
export type ToastKind = 'info' | 'success' | 'warning' | 'error'

/** A button in the toast, e.g. Sign in again for a missing Xero permission. */
export interface ToastAction {
  label: string
  run: () => unknown
}

export interface Toast {
  id: number
  kind: ToastKind
  message: string
  action?: ToastAction
  key?: string
}

let next = 1
export const toasts = $state<Toast[]>([])
const timers = new Map<number, ReturnType<typeof setTimeout>>()

export function showToast(kind: ToastKind, message: string, ms = kind === 'error' ? 0 : 5000, action?: ToastAction, key?: string): number {
  const same = toasts.find((t) => (key !== undefined && t.key === key) || (t.message === message && t.kind === kind))
  if (same) dismissToast(same.id)
  const id = next++
  toasts.push({ id, kind, message, action, key })
  if (toasts.length > 3) dismissToast(toasts[0].id)
  if (ms > 0) timers.set(id, setTimeout(() => dismissToast(id), ms))
  return id
}

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id))
  timers.delete(id)
  const i = toasts.findIndex((t) => t.id === id)
  if (i >= 0) toasts.splice(i, 1)
}

/** Dismisses the toasts whose cause has cleared (by key, e.g. an error code). */
export function clearToasts(...keys: string[]): void {
  for (const t of toasts.filter((t) => t.key !== undefined && keys.includes(t.key))) dismissToast(t.id)
}
