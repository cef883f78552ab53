// An in-memory UploadsService and ActivityService (app/uploads_service.go,
// app/activity_service.go) for unit tests, installed next to whatever
// window.go.app already holds. Refuses files the way backend/upload's Check does
// for the cases the tests use (.exe, over 10 MB by name "big").
import { vi } from 'vitest'
import type { ActivityEntry, ClientChoice, UploadItem } from '../lib/uploadsApi'

export const CLIENTS: ClientChoice[] = [
  { id: 'c-acme', name: 'Acme Plumbing Ltd', accountNumber: 'ACME01' },
  { id: 'c-zoe', name: 'Zoë Müller' },
  { id: 'c-bright', name: 'Bright Bakery' },
]

export function item(p: Partial<UploadItem> & { id: number; name: string }): UploadItem {
  return {
    path: `/docs/${p.name}`, size: 2048, sha256: 'ab', modTime: '2026-11-03T09:00:00Z', tenantId: 't1',
    contact: { id: 'c-acme', name: 'Acme Plumbing Ltd', type: 'Business' }, folder: '', state: 'queued',
    retryable: false, attempts: 0, source: 'drop', user: 'sam', forced: false,
    createdAt: '2026-11-03T09:00:00Z', updatedAt: '2026-11-03T09:00:00Z', ...p,
  }
}

export function installFakeUploads(init: { items?: UploadItem[]; history?: ActivityEntry[] } = {}) {
  const st = { items: [...(init.items ?? [])], history: [...(init.history ?? [])], next: 100 }
  const name = (p: string) => p.split(/[\\/]/).pop() ?? p
  const UploadsService = {
    Enqueue: vi.fn(async (contactId: string, paths: string[], _folder: string) => {
      const c = CLIENTS.find((c) => c.id === contactId)
      if (!c) throw new Error(JSON.stringify({ code: 'no_client', message: "chase.md doesn't know that client." }))
      return paths.map((p) => {
        const n = name(p)
        const contact = { id: c.id, name: c.name, type: 'Business' }
        if (n.endsWith('.exe')) return item({ id: 0, name: n, path: p, contact, state: 'refused', reason: "Xero doesn't accept .exe files, because they are programs or scripts." })
        if (n.startsWith('big')) return item({ id: 0, name: n, path: p, contact, state: 'refused', reason: 'This file is 12.0 MB; Xero accepts files up to 10 MB.' })
        const it = item({ id: st.next++, name: n, path: p, contact })
        st.items.unshift(it)
        return it
      })
    }),
    EnqueuePicked: vi.fn(async (contactId: string, paths: string[], folder: string) => UploadsService.Enqueue(contactId, paths, folder)),
    PickFiles: vi.fn(async () => ['/docs/picked.pdf']),
    Items: vi.fn(async () => st.items),
    Overview: vi.fn(async () => ({})),
    Cancel: vi.fn(async () => {}),
    CancelAll: vi.fn(async () => {}),
    Retry: vi.fn(async () => {}),
    RetryAll: vi.fn(async () => 0),
    Force: vi.fn(async () => {}),
    ClearFinished: vi.fn(async () => 0),
    FindClients: vi.fn(async (q: string) => CLIENTS.filter((c) => c.name.toLowerCase().includes(q.toLowerCase().trim()))),
    Limits: vi.fn(async () => ({ maxBytes: 10485760, accepted: ['pdf'], blocked: ['exe'] })),
    DemoSlowUploads: vi.fn(async () => {}),
    Undo: vi.fn(async (id: number) => {
      st.items = st.items.map((it) => (it.id === id ? { ...it, state: 'cancelled', reason: 'Undone before it was sent to Xero.' } : it))
    }),
    SendNow: vi.fn(async () => {}),
    Preview: vi.fn(async () => ({ name: 'x.pdf', kind: 'pdf', mimeType: 'application/pdf', size: 9, dataUrl: 'data:application/pdf;base64,JVBERi0xLjQK' })),
    OpenFile: vi.fn(async () => {}),
  }
  const ActivityService = {
    List: vi.fn(async (q: string, kinds: string[], limit: number, offset: number) =>
      st.history
        .filter((e) => !q || `${e.subject} ${e.client} ${e.who}`.toLowerCase().includes(q.toLowerCase()))
        .filter((e) => !kinds.length || kinds.includes(e.kind))
        .slice(offset, offset + limit)),
    Kinds: vi.fn(async () => [
      { kind: 'sync', label: 'Synced from Xero' }, { kind: 'filed', label: 'Filed in Xero' }, { kind: 'failed', label: 'Upload failed' },
    ]),
    ExportCSV: vi.fn(async () => '/home/sam/chase-md-activity-2026-11-03.csv'),
  }
  const w = window as unknown as { go?: { app?: Record<string, unknown> } }
  w.go = { ...w.go, app: { ...w.go?.app, UploadsService, ActivityService } }
  return { state: st, UploadsService, ActivityService }
}
