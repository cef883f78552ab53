// An in-memory ChaseService (app/chase_service.go) for unit tests, installed
// next to whatever window.go.app already holds.
import { vi } from 'vitest'
import type { ChaseRow, ChaseStatus, Suggestion } from '../lib/chaseApi'

export const fakeStatus = (over: Partial<ChaseStatus> = {}): ChaseStatus => ({
  organisation: 'Demo Practice Ltd', practice: 'Demo Practice', xpm: true, noAccess: false, xpmRefused: false, noPractice: false,
  lastSync: '2026-03-10T09:00:00Z', stateSource: 'jobstate.api/list', states: 8, chaseStates: 2, guessed: false, linksToReview: 0, ...over,
})

export function installFakeChase(rows: ChaseRow[], status: ChaseStatus = fakeStatus()) {
  const ChaseService = {
    Status: vi.fn(async () => status),
    List: vi.fn(async () => ({ rows, clients: new Set(rows.map((r) => r.clientKey)).size, overdue: 0 })),
    SearchContacts: vi.fn(async (q: string) => [{ id: 'ct-9', name: `${q} Holdings Ltd`, email: 'hi@holdings.nz', status: 'ACTIVE' }]),
    MarkForChase: vi.fn(async () => {}),
    // The Go side of issue 11: templates per job state, in words.
    EmailTemplates: vi.fn(async () => ({ default: { subject: 'Documents needed for {client name}', body: 'Kia ora {client first name},\n{jobs}\n{documents needed}\n' }, byState: {} })),
    SaveEmailTemplate: vi.fn(async (_state: string, _subject: string, _body: string) => {}),
    SetDocsNeeded: vi.fn(async (_jobId: string, _docs: string[]) => {}),
    MarkChasedMany: vi.fn(async (_keys: string[]) => {}),
    MarkChased: vi.fn(async () => {}),
    SuggestStateMove: vi.fn(async (_contactId: string) => [] as Suggestion[]),
    ApplyStateMove: vi.fn(async (_jobId: string, _toState: string) => {}),
  }
  const w = window as unknown as { go?: { app?: Record<string, unknown> } }
  w.go = { ...(w.go ?? {}), app: { ...(w.go?.app ?? {}), ChaseService } }
  return { ChaseService }
}

/** A stand-in for the Wails runtime's events, so onEvent subscribes; emit() delivers one. */
export function installFakeEvents() {
  const subs = new Map<string, ((data: unknown) => void)[]>()
  ;(window as unknown as { runtime: unknown }).runtime = {
    EventsOnMultiple: (name: string, cb: (data: unknown) => void) => {
      subs.set(name, [...(subs.get(name) ?? []), cb])
      return () => subs.set(name, (subs.get(name) ?? []).filter((f) => f !== cb))
    },
  }
  return {
    emit: (name: string, data: unknown) => (subs.get(name) ?? []).forEach((cb) => cb(data)),
    uninstall: () => delete (window as unknown as { runtime?: unknown }).runtime,
  }
}
