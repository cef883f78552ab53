// An in-memory ChaseService (app/chase_service.go) for unit tests, installed
// next to whatever window.go.app already holds.
import { vi } from 'vitest'
import type { ChaseRow, ChaseStatus, Suggestion } from '../lib/chaseApi'

export const DEFAULT_TEMPLATE = 'Subject: Documents needed for {{.ClientName}}\nHi {{.FirstName}},\n{{range .Jobs}}- {{.Name}}\n{{end}}'

/** Renders the two placeholders and the job list the way the Go template does, enough for the preview. */
function render(t: string, row: ChaseRow, jobs: string[]) {
  if (t.includes('{{.FirstName') && !t.includes('{{.FirstName}}')) throw new Error(JSON.stringify({ code: 'invalid_input', message: 'The template has a mistake: unclosed action.' }))
  const out = t
    .replaceAll('{{.ClientName}}', row.clientName)
    .replaceAll('{{.FirstName}}', (row.person ?? 'there').split(' ')[0])
    .replace(/\{\{range \.Jobs\}\}([\s\S]*?)\{\{end\}\}/, (_, inner: string) => jobs.map((j) => inner.replaceAll('{{.Name}}', j)).join(''))
  const [first, ...rest] = out.split('\n')
  return first.toLowerCase().startsWith('subject:')
    ? { subject: first.slice(8).trim(), body: rest.join('\n') }
    : { subject: `Documents needed for ${row.clientName}`, body: out }
}

export const fakeStatus = (over: Partial<ChaseStatus> = {}): ChaseStatus => ({
  organisation: 'Demo Practice Ltd', practice: 'Demo Practice', xpm: true, noAccess: false, xpmRefused: false, noPractice: false,
  lastSync: '2026-03-10T09:00:00Z', stateSource: 'jobstate.api/list', states: 8, chaseStates: 2, guessed: false, linksToReview: 0, ...over,
})

export function installFakeChase(rows: ChaseRow[], status: ChaseStatus = fakeStatus()) {
  let saved = ''
  const ChaseService = {
    Status: vi.fn(async () => status),
    List: vi.fn(async () => ({ rows, clients: new Set(rows.map((r) => r.clientKey)).size, overdue: 0 })),
    SearchContacts: vi.fn(async (q: string) => [{ id: 'ct-9', name: `${q} Holdings Ltd`, email: 'hi@holdings.nz', status: 'ACTIVE' }]),
    MarkForChase: vi.fn(async () => {}),
    EmailCopied: vi.fn(async () => {}),
    EmailTemplate: vi.fn(async () => saved || DEFAULT_TEMPLATE),
    DefaultEmailTemplate: vi.fn(async () => DEFAULT_TEMPLATE),
    SaveEmailTemplate: vi.fn(async (t: string) => { saved = t === DEFAULT_TEMPLATE ? '' : t }),
    ChaseEmail: vi.fn(async (key: string, t: string) => {
      const mine = rows.filter((r) => r.clientKey === key)
      if (!mine.length) throw new Error(JSON.stringify({ code: 'internal', message: 'not on the chase list' }))
      return { to: mine[0].email ?? '', ...render(t, mine[0], mine.map((r) => r.jobName ?? r.jobId ?? '')) }
    }),
    MarkChased: vi.fn(async () => {}),
    SuggestStateMove: vi.fn(async (_contactId: string) => [] as Suggestion[]),
    ApplyStateMove: vi.fn(async (_jobId: string, _code: string) => {}),
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
