import { describe, expect, it } from 'vitest'
import { connLook } from './connWords'

const st = (kind: string) => ({ kind, message: 'm', since: '' }) as never

describe('connLook', () => {
  it('asks for the organisation while none is chosen, not Connected', () => {
    expect(connLook(st('connected'), undefined, false, true)).toMatchObject({ label: 'Signed in — choose your organisation', tone: 'warn' })
    expect(connLook(st('connected'), 'Acme', true, true)).toMatchObject({ tone: 'demo' })
  })
  it('names the organisation while Xero answers', () => {
    expect(connLook(st('connected'), 'Acme')).toMatchObject({ label: 'Acme', tone: 'on', problem: false })
    expect(connLook(st('syncing'), 'Acme', true)).toMatchObject({ label: 'Demo practice · Acme', tone: 'demo' })
  })
  it('never shows green while Xero cannot be reached', () => {
    const l = connLook(st('unreachable'), 'Acme')
    expect(l).toMatchObject({ label: "Can't reach Xero", tone: 'warn', problem: true, action: 'retry' })
    expect(connLook(st('reauth'), 'Acme')).toMatchObject({ tone: 'warn', action: 'signin' })
    expect(connLook(st('limit'), 'Acme')).toMatchObject({ tone: 'warn', problem: true })
    expect(connLook(st('signed_out'))).toMatchObject({ label: 'Not connected to Xero', tone: 'off' })
  })
})
