import { beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import DueToday from './DueToday.svelte'
import Toasts from '../../components/Toasts.svelte'
import { installFakeBackend } from '../../test/fakeBackend'
import { fakeItem, installFakeRemind } from '../../test/fakeRemind'
import { refreshReminders, resetReminders } from './store.svelte'
import { toasts } from '../../lib/toasts.svelte'

const noop = () => {}
async function show(init: Parameters<typeof installFakeRemind>[0] = {}) {
  installFakeBackend()
  const fake = installFakeRemind(init)
  render(Toasts)
  render(DueToday, { ongo: noop, onweek: noop, onplans: noop })
  await refreshReminders()
  return fake
}
const row = (client: string) => screen.getAllByTestId('reminder').find((r) => r.dataset.client === client)!

describe('Due today', () => {
  beforeEach(() => {
    resetReminders()
    toasts.splice(0)
  })

  it('sends one reminder with one click and says so in words', async () => {
    const fake = await show({ setup: { demo: true, ready: true } })
    const r = await waitFor(() => row('Cedar Cafe'))
    expect(r.textContent).toContain('First request')
    expect(r.textContent).toContain('mia@cedar.nz')
    expect(r.textContent).toContain('Asks for: Bank statements')
    await fireEvent.click(within(r).getByRole('button', { name: 'Send to Cedar Cafe' }))
    await waitFor(() => expect(row('Cedar Cafe').dataset.status).toBe('sent'))
    expect(fake.RemindService.Send).toHaveBeenCalledWith(1)
    expect(toasts.map((t) => t.message)).toContain('First request sent to Cedar Cafe (mia@cedar.nz).')
    expect(screen.getByTestId('demo-outbox-note').textContent).toContain('Outbox')
    expect(screen.getByTestId('all-done')).toBeTruthy()
  })

  it('Send all sends only the ones ready, and counts the outcome', async () => {
    const fake = await show({
      setup: { demo: true, ready: true },
      due: [fakeItem({ id: 1 }), fakeItem({ id: 2, clientKey: 'c2', clientName: 'Birch Ltd', to: 'b@birch.nz' }),
        fakeItem({ id: 3, clientKey: 'c3', clientName: 'Ash & Co', status: 'sent' })],
    })
    const btn = await screen.findByTestId('send-all')
    expect(btn.textContent).toContain('Send all 2')
    await fireEvent.click(btn)
    await waitFor(() => expect(fake.RemindService.SendAll).toHaveBeenCalledWith([2, 1])) // in the queue's order: A–Z
    await waitFor(() => expect(toasts.map((t) => t.message)).toContain('2 reminders sent.'))
    expect((screen.getByTestId('send-all') as HTMLButtonElement).disabled).toBe(true)
  })

  it('edits the email before sending it', async () => {
    const fake = await show({ setup: { demo: true, ready: true } })
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit the email to Cedar Cafe' }))
    const body = screen.getByLabelText('Email') as HTMLTextAreaElement
    expect(body.value).toContain('Hi Mia,')
    await fireEvent.input(body, { target: { value: 'Hi Mia, just the bank statements please.' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save and send' }))
    await waitFor(() => expect(fake.RemindService.Send).toHaveBeenCalledWith(1))
    expect(fake.RemindService.Edit).toHaveBeenCalledWith(1, 'Documents needed for Cedar Cafe', 'Hi Mia, just the bank statements please.')
    expect(fake.state.due[0].body).toBe('Hi Mia, just the bank statements please.')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('skips and snoozes', async () => {
    const fake = await show({ setup: { demo: true, ready: true }, due: [fakeItem({ id: 1 }), fakeItem({ id: 2, clientKey: 'c2', clientName: 'Birch Ltd' })] })
    await fireEvent.click(await screen.findByRole('button', { name: 'Skip Cedar Cafe' }))
    await waitFor(() => expect(row('Cedar Cafe').dataset.status).toBe('skipped'))
    const birch = row('Birch Ltd')
    await fireEvent.click(within(birch).getByText('Snooze'))
    await fireEvent.click(within(birch).getByRole('button', { name: '3 business days' }))
    await waitFor(() => expect(fake.RemindService.Snooze).toHaveBeenCalledWith(2, 3))
    await waitFor(() => expect(row('Birch Ltd').dataset.status).toBe('snoozed'))
  })

  it('a reminder that could not go says why in words, and offers to try again', async () => {
    await show({ setup: { ready: true }, due: [fakeItem({ status: 'failed', errorCode: 'mail_login', error: 'smtp.example.com refused the login: check the user name and password.' })] })
    const r = await waitFor(() => row('Cedar Cafe'))
    expect(r.textContent).toContain('Not sent')
    expect(r.textContent).toContain('refused the login')
    expect(within(r).getByRole('button', { name: 'Send to Cedar Cafe' }).textContent).toContain('Try again')
  })

  it('after a crash mid-send a person says whether it went', async () => {
    const fake = await show({ setup: { ready: true }, due: [fakeItem({ status: 'unsure' })] })
    const r = await waitFor(() => row('Cedar Cafe'))
    expect(r.textContent).toContain('Sent items')
    await fireEvent.click(within(r).getByRole('button', { name: 'It was sent' }))
    await waitFor(() => expect(fake.RemindService.ResolveUnsure).toHaveBeenCalledWith(1, true))
  })

  it('without a mailbox it says so and sends nothing', async () => {
    await show({ setup: { ready: false } })
    expect((await screen.findByTestId('mail-not-ready')).textContent).toContain('not set up yet')
    expect((screen.getByRole('button', { name: 'Send to Cedar Cafe' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId('send-all') as HTMLButtonElement).disabled).toBe(true)
  })

  it('on a computer that does not send, it says how to make it the sender', async () => {
    await show({ setup: { ready: true, thisComputerSends: false } })
    expect((await screen.findByTestId('mail-not-ready')).textContent).toContain('This computer sends reminders')
    expect((screen.getByRole('button', { name: 'Send to Cedar Cafe' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('a rejected send shows the Go side’s words in a toast', async () => {
    const fake = await show({ setup: { demo: true, ready: true } })
    fake.state.due[0].status = 'sent' // sent meanwhile from elsewhere
    await fireEvent.click(await screen.findByRole('button', { name: 'Send to Cedar Cafe' }))
    await waitFor(() => expect(toasts.find((t) => t.kind === 'error')?.message).toMatch(/no longer waiting/))
  })

  it('not connected: the Go side’s words, Try again and Open Settings', async () => {
    installFakeBackend()
    const fake = installFakeRemind()
    fake.RemindService.DueToday.mockRejectedValue(new Error(JSON.stringify({ code: 'no_client_id', message: 'Enter your Xero app’s client ID under Settings › Xero connection first.' })))
    const went: string[] = []
    render(DueToday, { ongo: (id: string) => went.push(id), onweek: noop, onplans: noop })
    await refreshReminders()
    expect((await screen.findByRole('heading', { name: 'Today’s reminders could not be read' }))).toBeTruthy()
    expect(screen.getByText(/client ID under Settings/)).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Open Settings' }))
    expect(went).toEqual(['settings'])
  })

  it('nothing due: an empty state that points to the week and the plans', async () => {
    await show({ due: [] })
    expect(await screen.findByRole('heading', { name: 'Nothing to send today' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'See this week' })).toBeTruthy()
  })

  it('files arrived: one click ticks off what a person leaves ticked', async () => {
    const fake = await show({
      setup: { demo: true, ready: true },
      checklists: { J000001: [{ doc: 'Bank statements', done: false, doneAt: '', doneBy: '' }, { doc: 'Receipts', done: false, doneAt: '', doneBy: '' }] },
      proposals: [{ clientKey: 'c1', clientName: 'Cedar Cafe', jobId: 'J000001', jobName: 'GST Return', outstanding: ['Bank statements', 'Receipts'], files: 2, since: '2026-12-01T00:00:00Z', source: 'xero' }],
    })
    const p = await screen.findByTestId('proposal')
    expect(p.textContent).toContain('2 files seen in their Xero files')
    await fireEvent.click(within(p).getByLabelText('Receipts'))
    await fireEvent.click(within(p).getByRole('button', { name: /Tick off 1 document/ }))
    await waitFor(() => expect(fake.RemindService.ConfirmProposal).toHaveBeenCalledWith('J000001', ['Bank statements']))
    await waitFor(() => expect(screen.queryByTestId('proposal')).toBeNull())
  })
})
