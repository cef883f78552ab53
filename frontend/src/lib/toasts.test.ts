import { afterEach, describe, expect, it, vi } from 'vitest'
import { dismissToast, showToast, toasts } from './toasts.svelte'

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

  it('keep at most four, dropping the oldest', () => {
    for (let i = 1; i <= 6; i++) showToast('warning', `n${i}`, 0)
    expect(toasts.map((t) => t.message)).toEqual(['n3', 'n4', 'n5', 'n6'])
  })
})
