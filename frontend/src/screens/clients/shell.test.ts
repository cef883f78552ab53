import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import TopBar from '../../shell/TopBar.svelte'
import ReconnectBanner from '../../shell/ReconnectBanner.svelte'
import { installFakeClients } from '../../test/fakeClients'
import { conn } from './sync.svelte'

const info = { demo: false } as never
// Mounting reads the status from Go (the fake) once; let that land before setting state by hand.
const settle = () => new Promise((r) => setTimeout(r, 20))

describe('top bar sync and connection', () => {
  it('shows pages done of the page count while a sync runs, then when it last synced', async () => {
    installFakeClients([])
    render(TopBar, { info, onsync: () => {}, onsearch: () => {} })
    await settle()
    conn.running = true
    conn.page = 3
    conn.pageCount = 10
    flushSync()
    const bar = await screen.findByRole('progressbar', { name: 'Contact sync' })
    expect(bar.getAttribute('aria-valuenow')).toBe('30')
    expect(screen.getByTestId('sync-progress').textContent).toContain('page 3 of 10')
    conn.running = false
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

  it('the Reconnect banner appears when Xero needs a new sign-in', async () => {
    installFakeClients([])
    render(ReconnectBanner)
    await settle()
    expect(screen.queryByTestId('reconnect-banner')).toBeNull() // the fake says connected
    conn.auth = { running: true, demo: false, state: 'reconnect-needed', accessExpiry: '', lastRefresh: '', refreshes: 0,
      signingIn: false, orgs: [], xpmRefused: false }
    flushSync()
    expect((await screen.findByTestId('reconnect-banner')).textContent).toContain(
      'Xero needs you to sign in again. Uploads and syncs are paused and will continue after you reconnect.')
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy()
    conn.auth = null
  })
})
