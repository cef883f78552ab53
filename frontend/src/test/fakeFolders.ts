// An in-memory FoldersService (app/folders_service.go) for unit tests,
// installed next to whatever window.go.app already holds.
import { vi } from 'vitest'
import type { ClientChoice, FiledCount, ReviewItem, Rule, WatchedFolder } from '../lib/foldersApi'

export const FOLDER_CLIENTS: ClientChoice[] = [
  { id: 'c-smith', name: 'Smith & Co Ltd' },
  { id: 'c-smith2', name: 'Smith and Co Limited' },
  { id: 'c-jones', name: 'Jones Bakery' },
]

export function folder(p: Partial<WatchedFolder> = {}): WatchedFolder {
  return {
    id: 1, path: '/scans', tenantId: 't1', organisation: 'Demo Practice Ltd', mode: 'auto', after: 'move', paused: false,
    state: 'watching', uploading: 0, review: 0, filedToday: 0, createdAt: '2026-11-22T09:00:00Z', ...p,
  }
}

export function review(p: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id: 7, folderId: 1, folder: '/scans', rel: 'Smith & Co Ltd invoice 2031.pdf', name: 'Smith & Co Ltd invoice 2031.pdf',
    path: '/scans/Smith & Co Ltd invoice 2031.pdf', size: 2048, kind: 'tie', reason: 'It could belong to Smith & Co Ltd or Smith and Co Limited.',
    suggestions: [
      { contactId: 'c-smith', name: 'Smith & Co Ltd', confidence: 0.9, reason: 'name in file name' },
      { contactId: 'c-smith2', name: 'Smith and Co Limited', confidence: 0.9, reason: 'name in file name' },
    ],
    createdAt: '2026-11-22T09:00:00Z', ...p,
  }
}

const ruleFor = (name: string) => (/^(scan|img|document)[\s_(-]*\d/i.test(name) ? '' : name.toLowerCase().replace(/&/g, '').replace(/\d+/g, '*').replace(/\s+/g, ' '))

export function installFakeFolders(init: { folders?: WatchedFolder[]; reviews?: ReviewItem[] } = {}) {
  const st = {
    folders: [...(init.folders ?? [])],
    reviews: [...(init.reviews ?? [])],
    today: [] as FiledCount[],
    rules: [] as Rule[],
    next: 50,
  }
  const name = (id: string) => FOLDER_CLIENTS.find((c) => c.id === id)?.name ?? id
  const FoldersService = {
    Folders: vi.fn(async () => st.folders),
    Organisations: vi.fn(async () => [{ id: 't1', name: 'Demo Practice Ltd', main: true }]),
    ChooseFolder: vi.fn(async () => '/new/scans'),
    AddFolder: vi.fn(async (path: string, mode: string, contactId: string, after: string) => {
      const f = folder({ id: st.next++, path, mode: (mode || 'auto') as WatchedFolder['mode'], contactId, clientName: contactId ? name(contactId) : undefined, after: (after || 'move') as WatchedFolder['after'] })
      st.folders.push(f)
      return f
    }),
    UpdateFolder: vi.fn(async () => st.folders[0]),
    RemoveFolder: vi.fn(async (id: number) => { st.folders = st.folders.filter((f) => f.id !== id) }),
    Pause: vi.fn(async (id: number) => { st.folders = st.folders.map((f) => (f.id === id ? { ...f, paused: true, state: 'paused' } : f)) }),
    Resume: vi.fn(async (id: number) => { st.folders = st.folders.map((f) => (f.id === id ? { ...f, paused: false, state: 'watching' } : f)) }),
    Reviews: vi.fn(async () => st.reviews),
    ResolveReview: vi.fn(async (id: number, contactId: string, saveRule: boolean) => {
      const r = st.reviews.find((x) => x.id === id)
      if (!r) throw new Error(JSON.stringify({ code: 'not_found', message: 'That folder or file is no longer in the list.' }))
      st.reviews = st.reviews.filter((x) => x.id !== id)
      st.today = [{ tenantId: 't1', contactId, client: name(contactId), count: 1 }]
      if (saveRule) st.rules.push({ id: st.next++, tenantId: 't1', pattern: ruleFor(r.name), contactId, clientName: name(contactId) })
    }),
    // As the Go side: a scanner's default name is never a rule.
    RuleFor: vi.fn(async (id: number) => ruleFor(st.reviews.find((x) => x.id === id)?.name ?? '')),
    PreviewReview: vi.fn(async (id: number) => ({ name: st.reviews.find((x) => x.id === id)?.name ?? '', kind: 'image', mimeType: 'image/png', size: 68,
      dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' })),
    OpenReview: vi.fn(async () => {}),
    DismissReview: vi.fn(async (id: number) => { st.reviews = st.reviews.filter((x) => x.id !== id) }),
    Rules: vi.fn(async () => st.rules),
    DeleteRule: vi.fn(async (id: number) => { st.rules = st.rules.filter((r) => r.id !== id) }),
    FiledToday: vi.fn(async () => st.today),
    FindClients: vi.fn(async (_t: string, q: string) => FOLDER_CLIENTS.filter((c) => c.name.toLowerCase().includes(q.toLowerCase()))),
  }
  const w = window as unknown as { go?: { app?: Record<string, unknown> } }
  w.go = { ...w.go, app: { ...w.go?.app, FoldersService } }
  return { state: st, FoldersService }
}
