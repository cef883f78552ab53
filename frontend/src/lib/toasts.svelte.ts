// The toast area's state: short messages that fade on their own (errors stay
// until dismissed, so nobody misses one).
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
}

let next = 1
export const toasts = $state<Toast[]>([])
const timers = new Map<number, ReturnType<typeof setTimeout>>()

export function showToast(kind: ToastKind, message: string, ms = kind === 'error' ? 0 : 5000, action?: ToastAction): number {
  const id = next++
  toasts.push({ id, kind, message, action })
  if (toasts.length > 4) dismissToast(toasts[0].id)
  if (ms > 0) timers.set(id, setTimeout(() => dismissToast(id), ms))
  return id
}

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id))
  timers.delete(id)
  const i = toasts.findIndex((t) => t.id === id)
  if (i >= 0) toasts.splice(i, 1)
}
