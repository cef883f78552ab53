import { beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import ChaseList from './ChaseList.svelte'
import { fakeStatus, installFakeChase } from '../test/fakeChase'
import type { ChaseRow } from '../lib/chaseApi'
import { resetChase } from './chase/store.svelte'
import { installFakeRemind } from '../test/fakeRemind'
import { resetReminders } from './reminders/store.svelte'
import { installFakeEvents } from '../test/fakeChase'
import { Ev } from '../lib/events'

const ZERO = '0001-01-01T00:00:00Z'
const row = (p: Partial<ChaseRow>): ChaseRow => ({
  clientKey: p.clientName ?? 'k', clientName: 'Client', state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO,
  daysWaiting: 0, docsSince: 0, lastChased: ZERO, source: 'xpm', ...p,
})

describe('ChaseList', () => {
  beforeEach(() => {
    resetChase()
    resetReminders()
  })

  it('shows each client’s next reminder, and follows remind:changed', async () => {
    const ev = installFakeEvents()
    try {
      installFakeChase([row({ clientName: 'Cedar Cafe', clientKey: 'c1', jobId: 'J2' }), row({ clientName: 'Birch Ltd', clientKey: 'c2', jobId: 'J3' })])
      const next = [
        { clientKey: 'c1', date: '2099-03-09', step: 1, planId: 'p', paused: '', optedOut: false, stopped: false, note: '' },
        { clientKey: 'c2', date: '', step: 0, planId: 'p', paused: '', optedOut: true, stopped: false, note: '' },
      ]
      const fake = installFakeRemind({ next })
      render(ChaseList, { ongo: () => {} })
      const table = await screen.findByTestId('chase-table')
      expect(within(table).getByRole('columnheader', { name: 'Next reminder' })).toBeTruthy()
      const cell = (client: string) => table.querySelector(`[data-client="${client}"] [data-testid=chase-next]`)?.textContent?.trim()
      await waitFor(() => expect(cell('Cedar Cafe')).toBe('9 Mar'))
      expect(cell('Birch Ltd')).toBe('Opted out')
      next[0] = { ...next[0], stopped: true }
      fake.RemindService.Next.mockResolvedValue(next)
      ev.emit(Ev.RemindChanged, null)
      await waitFor(() => expect(cell('Cedar Cafe')).toBe('Stopped'))
    } finally {
      ev.uninstall()
    }
  })

  it('lists the rows with counts; column headers sort and say so', async () => {
    installFakeChase([
      row({ clientName: 'Cedar Cafe', jobId: 'J2', daysWaiting: 3 }),
      row({ clientName: 'alpine motors', jobId: 'J1', daysWaiting: 9, docsSince: 1 }),
    ])
    render(ChaseList, { ongo: () => {} })
    const table = await screen.findByTestId('chase-table')
    expect(screen.getByTestId('chase-counts').textContent).toMatch(/2 jobs · 2 clients · 0 overdue · 1 with no documents yet/)
    const header = within(table).getByRole('columnheader', { name: /Client/ })
    await fireEvent.click(within(header).getByRole('button'))
    expect(header.getAttribute('aria-sort')).toBe('ascending')
    const names = () => [...table.querySelectorAll('.window .client')].map((e) => e.textContent)
    expect(names()).toEqual(['alpine motors', 'Cedar Cafe'])
    await fireEvent.click(within(header).getByRole('button'))
    expect(header.getAttribute('aria-sort')).toBe('descending')
    expect(names()).toEqual(['Cedar Cafe', 'alpine motors'])
  })

  it('without XPM explains how to connect it and lets a client be marked by hand', async () => {
    const fake = installFakeChase([], fakeStatus({ xpm: false, noPractice: true, practice: '' }))
    render(ChaseList, { ongo: () => {} })
    const box = await screen.findByTestId('chase-no-xpm')
    expect(box.textContent).toMatch(/enable Practice Manager/)
    expect(box.textContent).toMatch(/tick My Xero app has Practice Manager \(XPM\) access, then sign in to Xero again/)
    expect(screen.queryByRole('tab')).toBeNull()
    await fireEvent.input(screen.getByLabelText('Add a client to chase'), { target: { value: 'Kauri' } })
    const add = await screen.findByRole('button', { name: 'Chase' })
    await fireEvent.click(add)
    await waitFor(() => expect(fake.ChaseService.MarkForChase).toHaveBeenCalledWith('ct-9', true))
  })

  it('with no chase state mapped, points to the mapping', async () => {
    installFakeChase([], fakeStatus({ chaseStates: 0 }))
    render(ChaseList, { ongo: () => {} })
    await screen.findByRole('heading', { name: 'Nobody to chase yet' })
    expect(screen.getByRole('button', { name: 'Choose job states' })).toBeTruthy()
  })

  it('selects many (click, shift-click) and marks them chased in one go; copies their addresses', async () => {
    const fake = installFakeChase([
      row({ clientName: 'Alpha', clientKey: 'a', jobId: 'J1', email: 'a@x.nz' }),
      row({ clientName: 'Bravo', clientKey: 'b', jobId: 'J2', email: 'b@x.nz' }),
      row({ clientName: 'Charlie', clientKey: 'c', jobId: 'J3' }),
      row({ clientName: 'Delta', clientKey: 'd', jobId: 'J4', email: 'd@x.nz' }),
    ])
    render(ChaseList, { ongo: () => {} })
    const table = await screen.findByTestId('chase-table')
    await fireEvent.click(within(table).getByRole('button', { name: /Client/ })) // A–Z
    await fireEvent.click(screen.getByLabelText('Select Alpha J1'))
    await fireEvent.click(screen.getByLabelText('Select Charlie J3'), { shiftKey: true })
    const bar = screen.getByTestId('chase-bulk')
    expect(bar.textContent).toMatch(/3 jobs selected/)
    const copied: string[] = []
    Object.assign(navigator, { clipboard: { writeText: async (t: string) => { copied.push(t) } } })
    await fireEvent.click(within(bar).getByRole('button', { name: 'Copy email addresses' }))
    await waitFor(() => expect(copied).toEqual(['a@x.nz; b@x.nz']))
    await fireEvent.click(within(bar).getByRole('button', { name: 'Mark chased' }))
    await waitFor(() => expect(fake.ChaseService.MarkChasedMany).toHaveBeenCalledWith(['a', 'b', 'c']))
  })
})
