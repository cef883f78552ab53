import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import DropLayer from '../../shell/DropLayer.svelte'
import Uploads from '../Uploads.svelte'
import Activity from '../Activity.svelte'
import { installFakeUploads, item } from '../../test/fakeUploads'
import { dropUi, feed } from './feed.svelte'
import { toasts } from '../../lib/toasts.svelte'

type Hook = (paths: string[], clientId?: string) => Promise<unknown>
const hook = () => (window as unknown as { __chaseDropForTest: Hook }).__chaseDropForTest

beforeEach(() => {
  feed.items = []
  feed.sent = {}
  feed.refused = []
  feed.loaded = false
  dropUi.choosing = null
  dropUi.result = null
  toasts.splice(0)
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('drop layer', () => {
  it('a drop on a client row queues the files for that client and reports refusals at once', async () => {
    const fake = installFakeUploads()
    render(DropLayer)
    const row = document.createElement('div')
    row.setAttribute('data-drop-client-id', 'c-acme')
    row.setAttribute('data-drop-client-name', 'Acme Plumbing Ltd')
    row.innerHTML = '<span>Acme Plumbing Ltd</span>'
    document.body.append(row)
    row.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 40, right: 400, bottom: 40, x: 0, y: 0, toJSON() {} })
    const points: [number, number][] = []
    document.elementFromPoint = (x: number, y: number) => {
      points.push([x, y])
      return row.firstElementChild
    }

    const paths = ['/in/statement.pdf', '/in/big-scan.pdf', '/in/setup.exe']
    await hook()(paths, 'c-acme')
    expect(points).toEqual([[200, 20], [200, 20]]) // checked, then dropped there: the real drop's path
    expect(fake.UploadsService.Enqueue).toHaveBeenCalledWith('c-acme', paths, '')

    const dialog = await screen.findByTestId('drop-result')
    expect(within(dialog).getByRole('heading').textContent).toBe('2 files were not uploaded')
    expect(dialog.textContent).toContain('This file is 12.0 MB; Xero accepts files up to 10 MB.')
    expect(dialog.textContent).toContain("Xero doesn't accept .exe files")
    expect(dialog.textContent).toContain('The other 1 file is on its way to Acme Plumbing Ltd.')
    expect(dialog.textContent).toContain('Your files were not moved or changed.')
    expect(feed.refused.map((r) => r.name)).toEqual(['big-scan.pdf', 'setup.exe'])
    expect(feed.items.map((i) => i.name)).toEqual(['statement.pdf'])
    expect(toasts.map((t) => t.message)).toContain('Uploading 1 file to Acme Plumbing Ltd.')

    await fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }))
    expect(screen.queryByTestId('drop-result')).toBeNull()
  })

  it('a drop outside any client asks which client; typing filters, arrows and Enter choose', async () => {
    const fake = installFakeUploads()
    render(DropLayer)
    const done = hook()(['/in/receipt.png', '/in/invoice.pdf'])
    const dialog = await screen.findByTestId('client-chooser')
    expect(dialog.textContent).toContain('2 files: receipt.png, invoice.pdf')
    const input = within(dialog).getByRole('combobox', { name: 'Client' })
    await waitFor(() => expect(document.activeElement).toBe(input))
    await waitFor(() => expect(within(dialog).getAllByRole('option')).toHaveLength(3))

    await fireEvent.input(input, { target: { value: 'b' } }) // Acme Plumbing, Bright Bakery
    await waitFor(() => expect(within(dialog).getAllByRole('option')).toHaveLength(2))
    // No client is chosen until the person moves to one: Enter does nothing.
    expect(within(dialog).queryByRole('option', { selected: true })).toBeNull()
    await fireEvent.keyDown(input, { key: 'Enter' })
    expect(fake.UploadsService.Enqueue).not.toHaveBeenCalled()
    expect(screen.getByTestId('client-chooser')).toBeTruthy()
    await fireEvent.keyDown(input, { key: 'ArrowDown' })
    await fireEvent.keyDown(input, { key: 'ArrowDown' })
    expect(within(dialog).getByRole('option', { selected: true }).textContent).toContain('Bright Bakery')
    await fireEvent.keyDown(input, { key: 'Enter' })
    await done
    expect(fake.UploadsService.Enqueue).toHaveBeenCalledWith('c-bright', ['/in/receipt.png', '/in/invoice.pdf'], '')
    expect(screen.queryByTestId('client-chooser')).toBeNull()
  })

  it('cancelling the question queues nothing', async () => {
    const fake = installFakeUploads()
    render(DropLayer)
    const done = hook()(['/in/a.pdf'])
    const dialog = await screen.findByTestId('client-chooser')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(await done).toBeNull()
    expect(fake.UploadsService.Enqueue).not.toHaveBeenCalled()
  })

  it('says it is checking the files while a big drop is hashed', async () => {
    const fake = installFakeUploads()
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const real = fake.UploadsService.Enqueue.getMockImplementation()!
    fake.UploadsService.Enqueue.mockImplementationOnce(async (...a: Parameters<typeof real>) => { await gate; return real(...a) })
    render(DropLayer)
    const done = hook()(['/in/a.pdf', '/in/b.pdf'], 'c-acme')
    expect((await screen.findByTestId('drop-checking')).textContent).toMatch(/Checking the files/)
    release()
    await done
    await waitFor(() => expect(screen.queryByTestId('drop-checking')).toBeNull())
  })

  it('an unknown client is said in words', async () => {
    installFakeUploads()
    render(DropLayer)
    expect(await hook()(['/in/a.pdf'], 'c-gone')).toBeNull()
    expect(toasts.at(-1)?.message).toBe("chase.md doesn't know that client.")
  })
})

describe('client page corner', () => {
  it('is mounted into the client page\'s slot; Add files… uploads to that client', async () => {
    const fake = installFakeUploads({ items: [item({ id: 9, name: 'on-its-way.pdf', state: 'queued' }), item({ id: 8, name: 'filed.pdf', state: 'done' })] })
    render(DropLayer)
    const pageEl = document.createElement('div')
    pageEl.setAttribute('data-drop-client-id', 'c-acme')
    pageEl.setAttribute('data-drop-client-name', 'Acme Plumbing Ltd')
    pageEl.innerHTML = '<div class="client-uploads-slot" data-client-id="c-acme"></div>'
    document.body.append(pageEl)
    const slot = pageEl.querySelector('.client-uploads-slot') as HTMLElement
    const button = await within(slot).findByRole('button', { name: 'Add files…' })
    expect(slot.textContent).toContain("Acme Plumbing Ltd's Xero Files")
    await waitFor(() => expect(slot.textContent).toContain('on-its-way.pdf'))
    expect(slot.textContent).not.toContain('filed.pdf') // the page's own Files in Xero list shows those
    expect(within(slot).getByTestId('client-filed-count').textContent).toBe('1 file filed in Xero from chase.md recently.')
    await fireEvent.click(button)
    await waitFor(() => expect(fake.UploadsService.EnqueuePicked).toHaveBeenCalledWith('c-acme', ['/docs/picked.pdf'], ''))
    pageEl.remove()
  })
})

describe('Uploads screen', () => {
  it('shows each file with its state in words and the right actions', async () => {
    const fake = installFakeUploads({
      items: [
        item({ id: 6, name: 'ledger.xlsx', state: 'uploading', size: 2000 }),
        item({ id: 5, name: 'old.pdf', state: 'skipped_duplicate', note: 'Already uploaded to Acme Plumbing Ltd on 3 Nov 2026 14:05 as "old.pdf", so it was skipped.' }),
        item({ id: 4, name: 'broken.pdf', state: 'failed', reason: 'Xero could not read the file.' }),
        item({ id: 3, name: 'done.pdf', state: 'done', fileId: 'f-1' }),
      ],
    })
    render(Uploads)
    await screen.findByText('ledger.xlsx')
    feed.sent[6] = 900
    const rows = await screen.findAllByTestId('upload-row')
    const text = (name: string) => rows.find((r) => r.dataset.name === name)!.querySelector('[data-testid="upload-state"]')!.textContent
    await waitFor(() => expect(text('ledger.xlsx')).toBe('Uploading 45%'))
    expect(text('old.pdf')).toMatch(/^Skipped — already uploaded on 3 Nov/)
    expect(text('broken.pdf')).toBe('Failed — Xero could not read the file.')
    expect(text('done.pdf')).toBe('Filed in Xero')
    expect(screen.getByTestId('upload-overall').textContent).toContain('Uploading 1 file')

    await fireEvent.click(screen.getByRole('button', { name: 'Upload anyway: old.pdf' }))
    expect(fake.UploadsService.Force).toHaveBeenCalledWith(5)
    await fireEvent.click(screen.getByRole('button', { name: 'Retry: broken.pdf' }))
    expect(fake.UploadsService.Retry).toHaveBeenCalledWith(4)
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel: ledger.xlsx' }))
    expect(fake.UploadsService.Cancel).toHaveBeenCalledWith(6)

    await fireEvent.click(screen.getByRole('tab', { name: /Needs you/ }))
    expect(screen.getAllByTestId('upload-row').map((r) => r.dataset.name)).toEqual(['old.pdf', 'broken.pdf'])
    await fireEvent.keyDown(screen.getByRole('tab', { name: /Needs you/ }), { key: 'ArrowRight' })
    expect(screen.getByRole('tab', { selected: true }).textContent).toMatch(/^Filed/)
    expect(screen.getAllByTestId('upload-row').map((r) => r.dataset.name)).toEqual(['done.pdf'])
  })

  it('lists refused files next to their reasons until dismissed', async () => {
    installFakeUploads()
    feed.refused = [{ key: 1, name: 'setup.exe', path: '/in/setup.exe', reason: "Xero doesn't accept .exe files.", clientName: 'Acme' }]
    render(Uploads)
    const row = await screen.findByTestId('refused-row')
    expect(row.textContent).toContain("Refused — Xero doesn't accept .exe files.")
    expect(row.textContent).toContain('Your file was not moved or changed.')
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss setup.exe' }))
    expect(screen.queryByTestId('refused-row')).toBeNull()
    expect(await screen.findByRole('heading', { name: 'No uploads yet' })).toBeTruthy()
  })

  it('Add files… picks, then asks which client', async () => {
    const fake = installFakeUploads()
    render(DropLayer)
    render(Uploads)
    await fireEvent.click((await screen.findAllByRole('button', { name: 'Add files…' }))[0])
    const dialog = await screen.findByTestId('client-chooser')
    await waitFor(() => expect(within(dialog).getAllByRole('option').length).toBeGreaterThan(0))
    await fireEvent.click(within(dialog).getByRole('option', { name: /Zoë Müller/ }))
    await waitFor(() => expect(fake.UploadsService.EnqueuePicked).toHaveBeenCalledWith('c-zoe', ['/docs/picked.pdf'], ''))
  })
})

describe('Activity screen', () => {
  it('lists everything, filters by kind, searches and exports', async () => {
    const e = (id: number, kind: string, subject: string, detail = '', xeroId = '') => ({
      id, at: '2026-11-03T09:05:00Z', kind, who: 'Dana Demo', contactId: 'c-acme', client: 'Acme Plumbing Ltd', subject, xeroId, detail,
    })
    const fake = installFakeUploads({
      history: [e(3, 'sync', '', '12 new'), e(2, 'failed', 'payslip.pdf', 'Xero was down.'), e(1, 'filed', 'statement.pdf', '', 'file-1')],
    })
    render(Activity)
    await waitFor(() => expect(screen.getAllByTestId('activity-row')).toHaveLength(3))
    const rows = screen.getAllByTestId('activity-row')
    expect(rows[2].textContent).toContain('file-1')
    await waitFor(() => expect(screen.getAllByTestId('activity-row')[2].textContent).toContain('Filed in Xero'))
    expect(rows[2].textContent).toContain('Dana Demo')
    expect(rows[1].textContent).toContain('Xero was down.')
    await fireEvent.change(screen.getByTestId('activity-kind'), { target: { value: 'sync' } })
    await waitFor(() => expect(screen.getAllByTestId('activity-row')).toHaveLength(1))
    expect(fake.ActivityService.List).toHaveBeenLastCalledWith('', ['sync'], 101, 0)
    await fireEvent.change(screen.getByTestId('activity-kind'), { target: { value: '' } })
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search activity' }), { target: { value: 'state' } })
    await waitFor(() => expect(fake.ActivityService.List).toHaveBeenLastCalledWith('state', [], 101, 0))
    await waitFor(() => expect(screen.getAllByTestId('activity-row')).toHaveLength(1))
    expect(screen.getByTestId('activity-row').textContent).toContain('statement.pdf')
    await fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(toasts.at(-1)?.message).toBe('Saved the activity log to /home/sam/chase-md-activity-2026-11-03.csv.'))
  })
})
