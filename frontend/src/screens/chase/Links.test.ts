import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import Links from './Links.svelte'
import type { Link } from '../../lib/chaseApi'

const link = (p: Partial<Link>): Link => ({ clientUuid: p.clientName ?? 'u', clientName: 'Client', confidence: 0.9, status: 'auto', jobs: 1, ...p })

function install(links: Link[]) {
  const counts = () => ({
    auto: links.filter((l) => l.status === 'auto').length, confirmed: links.filter((l) => l.status === 'confirmed').length,
    broken: 0, ambiguous: 0, unmatched: 0, sure: links.filter((l) => l.status === 'auto' && l.sure).length,
  })
  const ChaseService = {
    Links: vi.fn(async () => ({ links: links.map((l) => ({ ...l })), counts: counts() })),
    ConfirmLink: vi.fn(async (u: string) => { links.find((l) => l.clientUuid === u)!.status = 'confirmed' }),
    BreakLink: vi.fn(async (u: string) => { links.find((l) => l.clientUuid === u)!.status = 'broken' }),
    ConfirmSureLinks: vi.fn(async () => {
      const sure = links.filter((l) => l.status === 'auto' && l.sure)
      sure.forEach((l) => (l.status = 'confirmed'))
      return sure.map((l) => l.clientUuid)
    }),
    UndoLink: vi.fn(async (u: string) => { links.find((l) => l.clientUuid === u)!.status = 'auto' }),
    UndoLinks: vi.fn(async (us: string[]) => { us.forEach((u) => (links.find((l) => l.clientUuid === u)!.status = 'auto')); return counts() }),
  }
  ;(window as unknown as { go: unknown }).go = { app: { ChaseService } }
  return ChaseService
}

describe('Links', () => {
  it('confirms every sure suggestion in one action, and undoes it', async () => {
    const svc = install([
      link({ clientName: 'A Ltd', contactId: 'c1', contactName: 'A Limited', sure: true, keys: ['email'] }),
      link({ clientName: 'B Ltd', contactId: 'c2', contactName: 'B Limited', sure: true, keys: ['tax number'] }),
      link({ clientName: 'Grace Brown', contactId: 'c3', contactName: 'Brown & Co Limited', sure: false, keys: ['name'] }),
    ])
    render(Links, { onchanged: () => {} })
    const box = await screen.findByTestId('links-sure')
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm 2 sure links' }))
    await waitFor(() => expect(svc.ConfirmSureLinks).toHaveBeenCalledOnce())
    await waitFor(() => expect(box.textContent).toMatch(/2 confirmed just now/))
    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(svc.UndoLinks).toHaveBeenCalledOnce())
    expect([...svc.UndoLinks.mock.calls[0][0]].sort()).toEqual(['A Ltd', 'B Ltd'])
  })

  it('reviews with the keyboard only: j/k move, Enter confirms, x rejects', async () => {
    const svc = install([
      link({ clientName: 'A Baker', contactId: 'c1', contactName: 'Baker & Co Limited' }),
      link({ clientName: 'Grace Brown', contactId: 'c2', contactName: 'Brown & Co Limited' }),
    ])
    render(Links, { onchanged: () => {} })
    expect((await screen.findByTestId('links-keys')).textContent).toMatch(/j\/k.*Enter confirm.*x reject/)
    const list = screen.getByTestId('links-list')
    list.focus()
    await fireEvent.keyDown(list, { key: 'j' })
    await fireEvent.keyDown(list, { key: 'x' })
    await waitFor(() => expect(svc.BreakLink).toHaveBeenCalledWith('Grace Brown'))
    await fireEvent.keyDown(list, { key: 'k' })
    await fireEvent.keyDown(list, { key: 'Enter' })
    await waitFor(() => expect(svc.ConfirmLink).toHaveBeenCalledWith('A Baker'))
  })
})
