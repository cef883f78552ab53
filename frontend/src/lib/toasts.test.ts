import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearToasts, dismissToast, showToast, toasts } from './toasts.svelte'

afterEach(() => {
  for (const t of [...toasts]) dismissToast(t.id)
  vi.useRealTimers()
})

describe('toasts', () => {
  it('fade after their time, except errors', () => {
    vi.useFakeTimers()
    showToast('info', 'Saved.')
    showToast('error', 'Could not reach Xero.')
    expect(toasts.map((t) => t.kind)).toEqual(['info', 'error'])
    vi.advanceTimersByTime(5000)
    expect(toasts.map((t) => t.message)).toEqual(['Could not reach Xero.'])
  })

  it('keep at most three, dropping the oldest', () => {
    for (let i = 1; i <= 6; i++) showToast('warning', `n${i}`, 0)
    expect(toasts.map((t) => t.message)).toEqual(['n4', 'n5', 'n6'])
  })

  it('are one per action: the same key or message replaces, never adds', () => {
    showToast('info', 'Filed.', 0, undefined, 'file-1')
    showToast('success', 'Filed in Xero.', 0, undefined, 'file-1')
    showToast('error', 'No connection.')
    showToast('error', 'No connection.')
    expect(toasts.map((t) => t.message)).toEqual(['Filed in Xero.', 'No connection.'])
  })

  it('clear when their cause clears', () => {
    showToast('error', 'Enter your client ID first.', 0, undefined, 'no_client_id')
    showToast('error', 'Something else.', 0, undefined, 'internal')
    clearToasts('no_client_id')
    expect(toasts.map((t) => t.message)).toEqual(['Something else.'])
  })
})
