import { afterEach, describe, expect, it, vi } from 'vitest'
import { showError } from './errorToast'
import { dismissToast, toasts } from './toasts.svelte'

afterEach(() => {
  for (const t of [...toasts]) dismissToast(t.id)
})

describe('showError', () => {
  it('offers Sign in again for a missing Xero permission, in the Go side words', async () => {
    const signIn = vi.fn(() => Promise.resolve({}))
    const goSide = JSON.stringify({
      code: 'permission_missing',
      action: 'signin',
      message: 'Xero has not given chase.md permission to use Files ("files"). Sign in to Xero again and allow Files to fix it.',
    })
    showError(new Error(goSide), signIn)
    expect(toasts).toHaveLength(1)
    expect(toasts[0].kind).toBe('error')
    expect(toasts[0].message).toContain('permission to use Files')
    expect(toasts[0].action?.label).toBe('Sign in again')
    await toasts[0].action?.run()
    expect(signIn).toHaveBeenCalledTimes(1)
  })

  it('offers nothing for other errors', () => {
    showError(new Error('{"code":"timeout","message":"Took too long."}'))
    expect(toasts[0].message).toBe('Took too long.')
    expect(toasts[0].action).toBeUndefined()
  })
})
