// An in-memory ClientsService and AuthService for the Clients screen's unit
// tests, added next to installFakeBackend's services (window.go.app.*).
import { vi } from 'vitest'
import type { ClientRow } from '../lib/clientsApi'

export function fakeRows(n: number): ClientRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    name: `Client ${String(i).padStart(5, '0')}${i === 4242 ? ' Quillfeather' : ''}`,
    email: `c${i}@example.com`,
    accountNumber: `AC${i}`,
    status: 'ACTIVE',
    isCustomer: i % 2 === 0,
    isSupplier: false,
    updatedUtc: '2026-11-01T10:00:00Z',
  }))
}

export function installFakeClients(rows: ClientRow[], opts: { lastSynced?: string } = {}) {
  const lastSynced = opts.lastSynced ?? '2026-11-22T09:00:00Z'
  const status = () => ({
    connected: true, tenantId: 't1', tenantName: 'Demo Practice Ltd', lastSynced,
    counts: { total: rows.length, active: rows.length, archived: 0, customers: 0 },
    running: false, full: false, page: 0, pageCount: 0,
  })
  const ClientsService = {
    Search: vi.fn(async (q: string, customersOnly: boolean, _ia: boolean, offset: number, limit: number) => {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean)
      const hit = rows.filter((r) => (!customersOnly || r.isCustomer) &&
        words.every((w) => `${r.name} ${r.email} ${r.accountNumber}`.toLowerCase().includes(w)))
      return { rows: hit.slice(offset, offset + limit), total: hit.length, offset }
    }),
    Client: vi.fn(async (id: string) => {
      const r = rows.find((x) => x.id === id)
      if (!r) throw new Error(JSON.stringify({ code: 'not_found', message: 'That item no longer exists.' }))
      return { ...r, phones: [{ type: 'MOBILE', number: '0400 111 222' }], addresses: [{ type: 'STREET', lines: ['1 High St'], city: 'Leeds' }],
        persons: [{ firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }], groups: ['Monthly'], syncedAt: lastSynced }
    }),
    ClientFiles: vi.fn(async (_id: string) => [
      { fileId: 'f1', name: 'Bank statement.pdf', size: 2048, created: '2026-11-20T10:00:00Z', associated: '2026-11-20T10:00:00Z', objectType: 'Business', detailsKnown: true },
    ]),
    SyncNow: vi.fn(async () => ({ ...status(), running: true })),
    SyncStatus: vi.fn(async () => status()),
  }
  const AuthService = {
    Status: vi.fn(async () => ({ running: true, demo: true, state: 'connected', accessExpiry: '', lastRefresh: '', refreshes: 0,
      signingIn: false, orgs: [{ id: 't1', name: 'Demo Practice Ltd', connectionId: 'c1' }], xpmRefused: false })),
    Tenants: vi.fn(async () => []),
  }
  const w = window as unknown as { go?: { app?: Record<string, unknown> } }
  w.go = { ...(w.go ?? {}), app: { ...(w.go?.app ?? {}), ClientsService, AuthService } }
  return { ClientsService, AuthService }
}
