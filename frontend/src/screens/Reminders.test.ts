import { beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import App from '../App.svelte'
import { installFakeBackend } from '../test/fakeBackend'
import { fakeItem, installFakeRemind } from '../test/fakeRemind'
import { resetReminders } from './reminders/store.svelte'

describe('Reminders screen', () => {
  beforeEach(() => {
    resetReminders()
    localStorage.clear()
  })

  it('is in the navigation (Ctrl+3); in the demo a sent reminder can be read in the outbox', async () => {
    installFakeBackend({ demo: true })
    installFakeRemind({ setup: { demo: true, ready: true } })
    render(App)
    await screen.findByRole('navigation', { name: 'Main' })
    await fireEvent.keyDown(window, { key: '3', ctrlKey: true })
    const send = await screen.findByRole('button', { name: 'Send to Cedar Cafe' })
    expect(screen.getByRole('tab', { name: /Due today/ }).textContent).toContain('1')
    await fireEvent.click(send)
    await waitFor(() => expect(screen.getAllByTestId('reminder')[0].dataset.status).toBe('sent'))
    await fireEvent.click(screen.getByRole('tab', { name: 'Outbox' }))
    const msg = await screen.findByTestId('outbox-message')
    expect(msg.textContent).toContain('mia@cedar.nz')
    const reader = screen.getByTestId('outbox-reader')
    expect(within(reader).getByTestId('email-view-subject').textContent).toBe('Documents needed for Cedar Cafe')
    expect(within(reader).getByTestId('email-view-body').textContent).toContain('Bank statements')
    // History lists it too, with the email as sent.
    await fireEvent.click(screen.getByRole('tab', { name: 'History' }))
    const h = await screen.findByTestId('history-row')
    expect(h.dataset.status).toBe('sent')
  })

  it('outside the demo there is no outbox tab; arrows move between tabs', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'reminders' })
    installFakeRemind({ setup: { demo: false, ready: true }, week: [fakeItem({ due: '2026-12-08' })] })
    render(App)
    const today = await screen.findByRole('tab', { name: /Due today/ })
    expect(screen.queryByRole('tab', { name: 'Outbox' })).toBeNull()
    today.focus()
    await fireEvent.keyDown(today, { key: 'ArrowRight' })
    const week = screen.getByRole('tab', { name: 'This week' })
    expect(document.activeElement).toBe(week)
    expect(week.getAttribute('aria-selected')).toBe('true')
    expect((await screen.findByTestId('week-item')).textContent).toContain('Cedar Cafe')
    expect(screen.getByTestId('week').textContent).toContain('Tue 8 Dec')
  })

  it('history falls back to today’s and points to Activity when the Go side has no History', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'reminders' })
    installFakeRemind({ setup: { ready: true }, history: null, due: [fakeItem({ status: 'stopped', reason: 'documents arrived' })] })
    localStorage.setItem('reminders.tab', 'history')
    render(App)
    const row = await screen.findByTestId('history-row')
    expect(row.textContent).toContain('documents arrived')
    expect(screen.getByText(/Earlier ones are in/)).toBeTruthy()
  })
})
