import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import Clients from '../Clients.svelte'
import { fakeRows, installFakeClients } from '../../test/fakeClients'
import { view } from './view.svelte'

const noop = () => {}

describe('Clients screen', () => {
  it('renders only a window of 10,000 clients and fetches one page', async () => {
    const fake = installFakeClients(fakeRows(10_000))
    render(Clients, { query: '', ongo: noop, onsync: noop })
    const list = await screen.findByTestId('client-list')
    await waitFor(() => expect(list.getAttribute('data-total')).toBe('10000'))
    expect((await screen.findByTestId('match-count')).textContent).toBe('10,000 clients')
    const rendered = list.querySelectorAll('[data-drop-client-id]')
    expect(rendered.length).toBeGreaterThan(0)
    expect(rendered.length).toBeLessThan(60)
    expect(fake.ClientsService.Search).toHaveBeenCalledTimes(1)
    expect(fake.ClientsService.Search.mock.calls[0].slice(3)).toEqual([0, 100])
  })

  it('searches as the query changes, once per pause in typing', async () => {
    const fake = installFakeClients(fakeRows(5000))
    const r = render(Clients, { query: '', ongo: noop, onsync: noop })
    const list = await screen.findByTestId('client-list')
    await waitFor(() => expect(list.getAttribute('data-total')).toBe('5000'))
    const before = fake.ClientsService.Search.mock.calls.length
    for (const q of ['q', 'qu', 'qui', 'quil']) await r.rerender({ query: q })
    await waitFor(() => expect(list.getAttribute('data-query')).toBe('quil'))
    expect(list.getAttribute('data-total')).toBe('1')
    expect(fake.ClientsService.Search.mock.calls.length - before).toBe(1) // debounced
    expect(list.querySelector('[data-drop-client-name]')?.getAttribute('data-drop-client-name')).toBe('Client 04242 Quillfeather')
  })

  it('opens a client with Enter and comes back with Escape, keeping the query', async () => {
    installFakeClients(fakeRows(50))
    view.openId = null
    render(Clients, { query: 'Client 0001', ongo: noop, onsync: noop })
    const list = await screen.findByTestId('client-list')
    await waitFor(() => expect(list.getAttribute('data-total')).toBe('11')) // 00001 and 00010-00019
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    await fireEvent.keyDown(list, { key: 'Enter' })
    const page = await screen.findByTestId('client-page')
    expect(page.getAttribute('data-drop-client-id')).toBe('00000000-0000-0000-0000-000000000010')
    expect(page.querySelector('.client-uploads-slot')?.getAttribute('data-client-id')).toBe('00000000-0000-0000-0000-000000000010')
    expect(await screen.findByText('ann@example.com')).toBeTruthy()
    expect(await screen.findByText('Bank statement.pdf')).toBeTruthy()
    await fireEvent.keyDown(window, { key: 'Escape' })
    const back = await screen.findByTestId('client-list')
    await waitFor(() => expect(back.getAttribute('data-query')).toBe('Client 0001'))
    expect(view.active).toBe(1)
  })

  it('says when nothing matches', async () => {
    installFakeClients(fakeRows(20))
    render(Clients, { query: 'zzz', ongo: noop, onsync: noop })
    expect(await screen.findByRole('heading', { name: 'No clients match “zzz”' })).toBeTruthy()
  })
})

describe('ClientList after a sync', () => {
  it('reloads the same search in place: rows stay on screen, no jump to the top', async () => {
    const { default: ClientList } = await import('./ClientList.svelte')
    const fake = installFakeClients(fakeRows(300))
    view.active = -1
    view.lastSearch = ''
    const r = render(ClientList, { query: '', version: 0, onopen: noop, onresult: noop })
    const list = await screen.findByTestId('client-list')
    await waitFor(() => expect(list.getAttribute('data-total')).toBe('300'))
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    expect(view.active).toBe(2)
    const calls = fake.ClientsService.Search.mock.calls.length
    await r.rerender({ version: 1 })
    expect(list.querySelectorAll('[data-drop-client-id]').length).toBeGreaterThan(0) // no blank list while it reloads
    await waitFor(() => expect(fake.ClientsService.Search.mock.calls.length).toBeGreaterThan(calls))
    expect(view.active).toBe(2)
    expect(list.querySelectorAll('[data-drop-client-id]').length).toBeGreaterThan(0)
  })
})

describe('Files in Xero', () => {
  it('says truthfully that Xero opens on the client, and previews the local copy only of files chase.md sent', async () => {
    const fake = installFakeClients(fakeRows(3))
    const svc = fake.ClientsService as unknown as Record<string, ReturnType<typeof vi.fn>>
    svc.ClientFiles.mockResolvedValue([
      { fileId: 'f1', name: 'Bank statement.pdf', size: 2048, created: '2026-11-20T10:00:00Z', associated: '2026-11-20T10:00:00Z', objectType: 'Business', detailsKnown: true, local: true },
      { fileId: 'f2', name: 'Added in Xero.pdf', size: 1024, created: '2026-11-21T10:00:00Z', associated: '2026-11-21T10:00:00Z', objectType: 'Business', detailsKnown: true },
    ])
    svc.ContactLink = vi.fn(async () => ({ url: 'https://go.xero.com/Contacts/View/x' }))
    svc.PreviewFile = vi.fn(async () => ({ name: 'Bank statement.pdf', kind: 'image', mime: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }))
    svc.OpenFile = vi.fn(async () => {})
    view.openId = null
    render(Clients, { query: 'Client 00001', ongo: noop, onsync: noop })
    const list = await screen.findByTestId('client-list')
    await waitFor(() => expect(list.getAttribute('data-total')).toBe('1'))
    await fireEvent.keyDown(list, { key: 'Enter' })
    await screen.findByText('Added in Xero.pdf')
    expect((await screen.findByTestId('open-in-xero')).textContent?.trim()).toBe('Open the client in Xero')
    expect(screen.queryByRole('button', { name: 'Preview Added in Xero.pdf' })).toBeNull() // no copy here: nothing pretends
    await fireEvent.click(screen.getByRole('button', { name: 'Preview Bank statement.pdf' }))
    await waitFor(() => expect(svc.PreviewFile).toHaveBeenCalledWith('f1'))
    view.openId = null
  })
})
