import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import ClientChase from '../chase/ClientChase.svelte'
import { installFakeBackend } from '../../test/fakeBackend'
import { installFakeChase } from '../../test/fakeChase'
import { fakeItem, installFakeRemind } from '../../test/fakeRemind'
import { resetReminders } from './store.svelte'

function setup() {
  installFakeBackend()
  const chase = installFakeChase([])
  const w = window as unknown as { go: { app: Record<string, unknown> } }
  w.go.app.ClientsService = {
    ChaseInfo: vi.fn(async () => ({ onList: true, clientKey: 'c1', lastChased: '0001-01-01T00:00:00Z', jobs: [{ jobId: 'J000001', jobName: 'GST Return', state: 'Awaiting Information' }] })),
  }
  const remind = installFakeRemind({
    due: [fakeItem({ status: 'sent', sentAt: '2026-12-03T09:00:00Z', messageId: 'm1@chase.md' })],
    checklists: { J000001: [{ doc: 'Bank statements', done: false, doneAt: '', doneBy: '' }, { doc: 'Receipts', done: false, doneAt: '', doneBy: '' }] },
  })
  render(ClientChase, { contactId: 'ct-1', clientName: 'Cedar Cafe' })
  return { chase, remind }
}

describe('the client page’s reminders', () => {
  beforeEach(() => resetReminders())

  it('shows the next reminder, the checklist to tick, and each email as sent', async () => {
    const { remind } = setup()
    const panel = await screen.findByTestId('client-reminders')
    expect(within(panel).getByTestId('client-next-reminder').textContent).toContain('9 Dec')
    const list = await within(panel).findByTestId('checklist')
    expect(list.textContent).toContain('2 of 2 still missing')
    await fireEvent.click(within(list).getByLabelText('Bank statements'))
    await waitFor(() => expect(remind.RemindService.Tick).toHaveBeenCalledWith('J000001', 'Bank statements', true))
    await waitFor(() => expect(list.textContent).toContain('1 of 2 still missing'))
    expect(list.textContent).toContain('ticked by Ann')
    const hist = within(panel).getByTestId('client-reminder-history')
    expect(hist.textContent).toContain('Sent')
    await fireEvent.click(within(hist).getByRole('button', { name: 'Email' }))
    expect(within(hist).getByTestId('email-view-body').textContent).toContain('Bank statements')
  })

  it('edits the list of documents asked for (saved as the job’s documents needed)', async () => {
    const { chase } = setup()
    const list = await screen.findByTestId('checklist')
    const add = within(list).getByLabelText('Add a document to ask for, GST Return')
    await fireEvent.input(add, { target: { value: 'Payroll summary' } })
    await fireEvent.keyDown(add, { key: 'Enter' })
    await waitFor(() => expect(chase.ChaseService.SetDocsNeeded).toHaveBeenCalledWith('J000001', ['Bank statements', 'Receipts', 'Payroll summary']))
    await fireEvent.click(within(list).getByRole('button', { name: 'Remove Receipts from the list' }))
    await waitFor(() => expect(chase.ChaseService.SetDocsNeeded).toHaveBeenLastCalledWith('J000001', ['Bank statements']))
  })

  it('pauses, opts out and stops the client', async () => {
    const { remind } = setup()
    const panel = await screen.findByTestId('client-reminders')
    await fireEvent.input(within(panel).getByLabelText('Pause reminders until'), { target: { value: '2099-01-15' } })
    await fireEvent.click(within(panel).getByRole('button', { name: 'Pause' }))
    await waitFor(() => expect(remind.RemindService.Pause).toHaveBeenCalledWith('c1', '2099-01-15'))
    expect(await within(panel).findByText('Paused until Thu 15 Jan.')).toBeTruthy()
    await fireEvent.click(within(panel).getByTestId('client-opt-out'))
    await waitFor(() => expect(remind.RemindService.OptOut).toHaveBeenCalledWith('c1', true))
    await fireEvent.click(within(panel).getByRole('button', { name: 'Stop chasing' }))
    await waitFor(() => expect(remind.RemindService.Stop).toHaveBeenCalledWith('c1', true))
    expect(await within(panel).findByRole('button', { name: 'Chase again' })).toBeTruthy()
  })
})
