import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import TopBar from '../../shell/TopBar.svelte'
import ConnectionBanner from '../../shell/ConnectionBanner.svelte'
import { installFakeClients } from '../../test/fakeClients'
import { conn, setConnection } from './sync.svelte'

const info = { demo: false } as never
// Mounting reads the status from Go (the fake) once; let that land before setting state by hand.
const settle = () => new Promise((r) => setTimeout(r, 20))

describe('top bar sync and connection', () => {
  it('shows pages done of the page count while a sync runs, then when it last synced', async () => {
    installFakeClients([])
    render(TopBar, { info, onsync: () => {}, onsearch: () => {} })
    await settle()
    setConnection({ kind: 'syncing', page: 3, pageCount: 10, message: 'Syncing', since: '' })
    flushSync()
    const bar = await screen.findByRole('progressbar', { name: 'Contact sync' })
    expect(bar.getAttribute('aria-valuenow')).toBe('30')
    expect(screen.getByTestId('sync-progress').textContent).toContain('page 3 of 10')
    setConnection({ kind: 'connected', message: 'Connected to Xero.', since: '' })
    conn.sync = { connected: true, tenantId: 't1', tenantName: 'Demo Practice Ltd', lastSynced: new Date().toISOString(),
      counts: { total: 1, active: 1, archived: 0, customers: 1 }, running: false, full: false, page: 0, pageCount: 0 }
    conn.error = ''
    flushSync()
    expect(screen.getByTestId('last-sync').textContent).toBe('Synced just now')
    conn.error = 'Xero is offline for maintenance.'
    flushSync()
    expect(screen.getByTestId('last-sync').textContent).toContain('Xero is offline for maintenance.')
    conn.error = ''
  })

  it('never stays green and spinning while Xero cannot be reached', async () => {
    installFakeClients([])
    render(TopBar, { info, onsync: () => {}, onsearch: () => {} })
    await settle()
    setConnection({ kind: 'syncing', page: 1, pageCount: 0, message: 'Syncing', since: '' })
    flushSync()
    expect(screen.getByTestId('org-status').dataset.state).toBe('syncing')
    setConnection({ kind: 'unreachable', until: new Date().toISOString(), attempt: 2, since: '',
      message: "chase.md can't reach Xero — retrying at 10:42 (attempt 3)." })
    flushSync()
    expect(screen.getByTestId('org-status').textContent).toContain("Can't reach Xero")
    expect(screen.getByTestId('org-status').querySelector('.dot.on')).toBeNull()
    expect(screen.queryByTestId('sync-progress')).toBeNull()
    expect(screen.getByRole('button', { name: /Sync now/ }).getAttribute('aria-busy')).toBeNull()
    conn.state = null
  })

  it('the connection banner says the problem and offers its fix', async () => {
    installFakeClients([])
    render(ConnectionBanner)
    await settle()
    setConnection({ kind: 'connected', message: 'Connected to Xero.', since: '' })
    flushSync()
    expect(screen.queryByTestId('connection-banner')).toBeNull()
    setConnection({ kind: 'reauth', message: 'Xero needs you to sign in again. Uploads and syncs are paused and continue after you reconnect.', since: '' })
    flushSync()
    expect((await screen.findByTestId('connection-banner')).textContent).toContain('Uploads and syncs are paused')
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy()
    setConnection({ kind: 'unreachable', message: "chase.md can't reach Xero — retrying at 10:42 (attempt 3).", since: '' })
    flushSync()
    expect(screen.getByTestId('connection-message').textContent).toContain('retrying at 10:42')
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy()
    conn.state = null
  })
})
