import { describe, expect, it } from 'vitest'
import { api, ApiError, toApiError } from './api'
import { installFakeBackend } from '../test/fakeBackend'

describe('toApiError', () => {
  it.each([
    [new Error('{"code":"reauth","message":"Sign in to Xero again."}'), 'reauth', 'Sign in to Xero again.'],
    ['{"code":"timeout","message":"Took too long."}', 'timeout', 'Took too long.'],
    [{ code: 'reauth', message: 'Sign in to Xero again.' }, 'reauth', 'Sign in to Xero again.'],
    [new Error('{not json'), 'internal', '{not json'],
    ['method not registered', 'internal', 'method not registered'],
    [new Error('boom'), 'internal', 'boom'],
    [undefined, 'internal', 'Something went wrong.'],
  ])('%j → %s', (input, code, message) => {
    const e = toApiError(input)
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe(code)
    expect(e.message).toBe(message)
  })
})

describe('api', () => {
  it('calls the Go services through the generated bindings', async () => {
    const fake = installFakeBackend({ demo: true })
    const info = await api.info()
    expect(fake.StatusService.Info).toHaveBeenCalledOnce()
    expect(info.mode).toBe('demo')
    await api.setLastScreen('uploads')
    expect(fake.SettingsService.SetLastScreen).toHaveBeenCalledWith('uploads')
    expect((await api.preferences()).lastScreen).toBe('uploads')
  })

  it('rejects with the formatter’s {code, message} as an ApiError', async () => {
    installFakeBackend()
    const err = await api.setXeroClientId('nope').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('invalid_input')
  })
})
