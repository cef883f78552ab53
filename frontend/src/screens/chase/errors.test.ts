// Every call of the chase screens failing, one by one: each failure says what
// happened and what to do in the app's words (Go's sentence, a heading and the
// next step), nothing spins on, and what the person typed stays.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import ChaseList from '../ChaseList.svelte'
import EmailDialog from './EmailDialog.svelte'
import Links from './Links.svelte'
import StateMoveOffer from './StateMoveOffer.svelte'
import StatesMapping from './StatesMapping.svelte'
import { installFakeChase, installFakeEvents } from '../../test/fakeChase'
import { goError, installFakeBackend } from '../../test/fakeBackend'
import { clearToasts, toasts } from '../../lib/toasts.svelte'
import type { ChaseRow } from '../../lib/chaseApi'
import { conn } from '../clients/sync.svelte'
import { resetChase } from './store.svelte'

const ZERO = '0001-01-01T00:00:00Z'
const row = (p: Partial<ChaseRow>): ChaseRow => ({
  clientKey: 'c1', clientName: 'Cedar Cafe', state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO,
  daysWaiting: 3, docsSince: 0, lastChased: ZERO, source: 'xpm', jobId: 'J1', email: 'mia@cedar.nz', ...p,
})

const UNREACHABLE = () => goError('unreachable', "chase.md can't reach Xero right now. It keeps trying by itself.")
const PERMISSION = () => new Error(JSON.stringify({ code: 'permission_missing', action: 'signin', message: 'Xero has not given chase.md permission to use Practice Manager. Sign in to Xero again and allow it.' }))
const LIMIT = () => goError('xero_limit', "Xero's daily limit of calls for this organisation is reached.")
const XPM_REFUSED = () => goError('xpm_refused', 'Practice Manager refused this and nothing was changed, saying: “Invalid job”. Check the job in Practice Manager, then try again.')

/** Both fakes: the chase service, and Status/Settings/Auth beside it. */
function install(rows: ChaseRow[] = [row({})]) {
  const backend = installFakeBackend({ demo: false, onboarded: true })
  const chase = installFakeChase(rows)
  const AuthService = { SignIn: vi.fn(async () => ({ signedIn: true })), CancelSignIn: vi.fn(async () => {}) }
  const w = window as unknown as { go: { app: Record<string, unknown> } }
  w.go.app.AuthService = AuthService
  return { ...backend, ...chase, AuthService }
}

/** Makes every call of fn fail with err() until the returned restore is called (the first rows and the whole list share List). */
function failing(fn: ReturnType<typeof vi.fn>, err: () => Error): () => void {
  const ok = fn.getMockImplementation()
  fn.mockImplementation(async () => { throw err() })
  return () => fn.mockImplementation(ok!)
}

const errorToasts = () => toasts.filter((t) => t.kind === 'error')

describe('chase screens when a call fails', () => {
  beforeEach(() => {
    resetChase()
    clearToasts()
    toasts.splice(0)
    conn.state = null
  })
  afterEach(() => { conn.state = null })

  it('a list that cannot be read says Xero is unreachable, in words, and Try again reads it', async () => {
    const fake = install()
    const restore = failing(fake.ChaseService.List, UNREACHABLE)
    fake.ChaseService.Status.mockRejectedValueOnce(UNREACHABLE())
    render(ChaseList, { ongo: () => {} })
    const box = await screen.findByTestId('chase-problem')
    expect(within(box).getByRole('heading').textContent).toBe("Can't reach Xero, so the chase list can't be read")
    expect(within(box).getByTestId('chase-error').textContent).toMatch(/can't reach Xero right now/)
    expect(box.textContent).not.toMatch(/Nobody to chase|dial tcp|\{"code"/)
    expect(screen.queryByTestId('chase-skeleton')).toBeNull() // no spinner left behind
    restore()
    await fireEvent.click(within(box).getByRole('button', { name: 'Try again' }))
    await screen.findByTestId('chase-table')
    expect(screen.queryByTestId('chase-problem')).toBeNull()
  })

  it('a missing permission offers Sign in again, which signs in and reads the list', async () => {
    const fake = install()
    const restore = failing(fake.ChaseService.List, PERMISSION)
    fake.ChaseService.Status.mockRejectedValueOnce(PERMISSION())
    render(ChaseList, { ongo: () => {} })
    const box = await screen.findByTestId('chase-problem')
    expect(within(box).getByRole('heading').textContent).toBe('Xero needs you to sign in again')
    restore()
    await fireEvent.click(within(box).getByRole('button', { name: 'Sign in again' }))
    await waitFor(() => expect(fake.AuthService.SignIn).toHaveBeenCalledOnce())
    await screen.findByTestId('chase-table')
  })

  it('a refresh that fails keeps the rows and says they are what was last read', async () => {
    const fake = install()
    render(ChaseList, { ongo: () => {} })
    await screen.findByTestId('chase-table')
    fake.ChaseService.List.mockRejectedValueOnce(LIMIT())
    fake.ChaseService.Status.mockRejectedValueOnce(LIMIT())
    await fireEvent.click(screen.getByRole('button', { name: 'Mark Cedar Cafe chased' }))
    const stale = await screen.findByTestId('chase-stale')
    expect(stale.textContent).toMatch(/shows what was last read\. Xero's daily limit/)
    expect(screen.getByTestId('chase-table').textContent).toContain('Cedar Cafe')
    await fireEvent.click(within(stale).getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(screen.queryByTestId('chase-stale')).toBeNull())
  })

  it('mark chased, export and Sync XPM failing: one toast each in words, with Sign in again where it helps', async () => {
    const fake = install()
    const svc = fake.ChaseService as unknown as Record<string, ReturnType<typeof vi.fn>>
    svc.ExportMarkdown = vi.fn(async () => { throw LIMIT() })
    svc.SyncNow = vi.fn(async () => { throw PERMISSION() })
    fake.ChaseService.MarkChased.mockRejectedValueOnce(UNREACHABLE())
    render(ChaseList, { ongo: () => {} })
    await screen.findByTestId('chase-table')
    await fireEvent.click(screen.getByRole('button', { name: 'Mark Cedar Cafe chased' }))
    await waitFor(() => expect(errorToasts().map((t) => t.message)).toEqual([expect.stringMatching(/can't reach Xero right now/)]))
    expect(errorToasts()[0].key).toBe('unreachable') // cleared by the connection coming back
    await fireEvent.click(screen.getByRole('button', { name: 'Export .md' }))
    await waitFor(() => expect(errorToasts()).toHaveLength(2))
    expect(errorToasts()[1].message).toMatch(/daily limit/)
    await waitFor(() => expect(screen.getByRole('button', { name: 'Export .md' }).getAttribute('aria-busy')).toBeNull())
    await fireEvent.click(screen.getByRole('button', { name: 'Sync XPM' }))
    await waitFor(() => expect(errorToasts()).toHaveLength(3))
    expect(errorToasts()[2].action?.label).toBe('Sign in again')
    expect(screen.getByRole('button', { name: 'Sync XPM' }).getAttribute('aria-busy')).toBeNull()
  })

  it('a Sync XPM waiting on an unreachable Xero stops spinning: the banner says why', async () => {
    const fake = install()
    ;(fake.ChaseService as unknown as Record<string, unknown>).SyncNow = vi.fn(async () => {})
    render(ChaseList, { ongo: () => {} })
    await screen.findByTestId('chase-table')
    await fireEvent.click(screen.getByRole('button', { name: 'Sync XPM' }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync XPM' }).getAttribute('aria-busy')).toBe('true'))
    conn.state = { kind: 'unreachable', message: "Can't reach Xero — retrying at 10:42.", since: '' }
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync XPM' }).getAttribute('aria-busy')).toBeNull())
  })

  it('job states and client links that cannot be read say why and read again on Try again', async () => {
    const fake = install()
    const svc = fake.ChaseService as unknown as Record<string, ReturnType<typeof vi.fn>>
    svc.States = vi.fn().mockRejectedValueOnce(XPM_REFUSED()).mockResolvedValue([])
    svc.Links = vi.fn().mockRejectedValueOnce(UNREACHABLE()).mockResolvedValue({ links: [], counts: { auto: 0, confirmed: 0, broken: 0, ambiguous: 0, unmatched: 0 } })
    const states = render(StatesMapping, { onsaved: () => {} })
    let box = await screen.findByTestId('chase-problem')
    expect(within(box).getByRole('heading').textContent).toBe('Practice Manager did not allow this')
    expect(box.textContent).toMatch(/saying: “Invalid job”/)
    await fireEvent.click(within(box).getByRole('button', { name: 'Try again' }))
    await screen.findByRole('heading', { name: 'No job states yet' })
    states.unmount()
    render(Links, { onchanged: () => {} })
    box = await screen.findByTestId('chase-problem')
    expect(within(box).getByRole('heading').textContent).toBe("Can't reach Xero, so the client links can't be read")
    await fireEvent.click(within(box).getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(screen.queryByTestId('chase-problem')).toBeNull())
    expect(svc.Links).toHaveBeenCalledTimes(2)
  })

  it('the email keeps what was typed when saving the template or copying fails', async () => {
    const rs = [row({ person: 'Mia Chen' })]
    const fake = install(rs)
    fake.ChaseService.SaveEmailTemplate.mockRejectedValueOnce(UNREACHABLE())
    const closed = vi.fn()
    render(EmailDialog, { row: rs[0], rows: rs, practice: 'Demo Practice Ltd', onclose: closed, onchased: () => {} })
    const body = screen.getByLabelText('Email') as HTMLTextAreaElement
    await waitFor(() => expect(body.value).toContain('Kia ora'))
    await fireEvent.input(body, { target: { value: 'Hi {client first name}, the bank statements please.' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }))
    await waitFor(() => expect(errorToasts()).toHaveLength(1))
    expect(errorToasts()[0].message).toMatch(/can't reach Xero/)
    expect(body.value).toBe('Hi {client first name}, the bank statements please.')
    expect((screen.getByRole('button', { name: 'Save template' }) as HTMLButtonElement).disabled).toBe(false) // still unsaved
    fake.ChaseService.MarkChased.mockRejectedValueOnce(LIMIT())
    await fireEvent.click(screen.getByRole('button', { name: 'Copy email' }))
    await waitFor(() => expect(errorToasts()).toHaveLength(2))
    expect(closed).not.toHaveBeenCalled()
    expect(body.value).toBe('Hi {client first name}, the bank statements please.')
    expect(screen.getByRole('button', { name: 'Copy email' }).getAttribute('aria-busy')).toBeNull()
  })

  it('a job move refused with a 200 carrying an XPM error says XPM’s words; a missing permission offers Sign in again', async () => {
    const events = installFakeEvents()
    try {
      const fake = install()
      fake.ChaseService.SuggestStateMove.mockResolvedValue([{ jobId: 'J1', jobName: 'GST', clientUuid: 'u1', clientName: 'Cedar Cafe', fromState: 'Awaiting Information', toState: 'Records Received', toCode: '' }])
      fake.ChaseService.ApplyStateMove.mockRejectedValueOnce(XPM_REFUSED()).mockRejectedValueOnce(PERMISSION())
      render(StateMoveOffer)
      events.emit('upload:done', { state: 'done', contact: { id: 'c1', name: 'Cedar Cafe' } })
      await fireEvent.click(await screen.findByRole('button', { name: 'Move' }))
      expect((await screen.findByTestId('move-refused')).textContent).toMatch(/^The job was not moved\. Practice Manager refused this .*“Invalid job”/)
      expect(screen.queryByRole('button', { name: 'Sign in again' })).toBeNull()
      await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
      await waitFor(() => expect(screen.getByTestId('move-refused').textContent).toMatch(/permission to use Practice Manager/))
      await fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }))
      await waitFor(() => expect(fake.AuthService.SignIn).toHaveBeenCalledOnce())
      await waitFor(() => expect(screen.queryByTestId('move-refused')).toBeNull())
      expect(screen.getByTestId('move-offer')).toBeTruthy() // still offered, to Move now
    } finally {
      events.uninstall()
    }
  })
})
