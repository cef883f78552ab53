// The Chase list area's bindings (app/chase_service.go) and the pure helpers
// its screens use: sorting, filtering, counting and dates. Only this module
// and api.ts import wailsjs/.
import * as Chase from '../../wailsjs/go/app/ChaseService'
import type { chase } from '../../wailsjs/go/models'
import { call, copyText } from './api'

/** Dates arrive as RFC 3339 strings; Go's zero time means "none". */
export type GoTime = string

export interface ChaseRow {
  clientKey: string
  clientName: string
  contactId?: string
  contactName?: string
  linkStatus?: string
  person?: string
  jobId?: string
  jobName?: string
  state: string
  dueDate: GoTime
  waitingSince: GoTime
  daysWaiting: number
  email?: string
  phone?: string
  docsSince: number
  lastChased: GoTime
  source: 'xpm' | 'manual' | string
}

export interface ChaseStatus {
  organisation: string
  practice: string
  xpm: boolean
  noAccess: boolean
  xpmRefused: boolean
  noPractice: boolean
  lastSync: GoTime
  lastError?: string
  stateSource: string
  states: number
  chaseStates: number
  guessed: boolean
  linksToReview: number
}

export interface StateMapping {
  name: string
  uuid?: string
  code: string
  chase: boolean
  guessed: boolean
  moveTo?: string
  present: boolean
  jobs: number
}

export interface Candidate {
  contactId: string
  name: string
  confidence: number
  reason: string
}

export interface Link {
  clientUuid: string
  clientName: string
  clientEmail?: string
  exportCode?: string
  contactId?: string
  contactName?: string
  method?: string
  confidence: number
  status: 'auto' | 'confirmed' | 'broken' | 'ambiguous' | 'unmatched' | string
  reason?: string
  candidates?: Candidate[]
  jobs: number
}

export interface LinkCounts {
  auto: number
  confirmed: number
  broken: number
  ambiguous: number
  unmatched: number
}

export interface ContactHit {
  id: string
  name: string
  email?: string
  accountNumber?: string
  status: string
}

export interface ChaseEmail {
  to: string
  subject: string
  body: string
}

export interface Suggestion {
  jobId: string
  jobName: string
  clientUuid: string
  clientName: string
  fromState: string
  toState: string
  toCode: string
}

/** What an upload:done event carries that the state-move offer needs. */
export interface UploadDone {
  state: string
  name: string
  tenantId: string
  contact: { id: string; name: string }
}

export const chaseApi = {
  status: () => call(() => Chase.Status()) as Promise<ChaseStatus>,
  list: () =>
    call(() => Chase.List({ sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false })).then(
      (l) => ({ ...l, rows: l.rows as unknown as ChaseRow[] }),
    ),
  states: () => call(() => Chase.States()) as Promise<StateMapping[]>,
  saveMapping: (ms: StateMapping[]) =>
    call(() => Chase.SaveMapping(ms as unknown as chase.StateMapping[])) as Promise<StateMapping[]>,
  links: (status = '', text = '') =>
    call(() => Chase.Links({ Status: status, Text: text })) as unknown as Promise<{ links: Link[]; counts: LinkCounts }>,
  confirmLink: (clientUuid: string) => call(() => Chase.ConfirmLink(clientUuid)),
  changeLink: (clientUuid: string, contactId: string) => call(() => Chase.ChangeLink(clientUuid, contactId)),
  breakLink: (clientUuid: string) => call(() => Chase.BreakLink(clientUuid)),
  relink: () => call(() => Chase.Relink()) as Promise<LinkCounts>,
  searchContacts: (text: string) => call(() => Chase.SearchContacts(text)) as unknown as Promise<ContactHit[]>,
  markChased: (clientKey: string) => call(() => Chase.MarkChased(clientKey)),
  markForChase: (contactId: string, on: boolean) => call(() => Chase.MarkForChase(contactId, on)),
  emailTemplate: () => call(() => Chase.EmailTemplate()),
  defaultEmailTemplate: () => call(() => Chase.DefaultEmailTemplate()),
  saveEmailTemplate: (t: string) => call(() => Chase.SaveEmailTemplate(t)),
  chaseEmail: (clientKey: string, template: string) => call(() => Chase.ChaseEmail(clientKey, template)) as Promise<ChaseEmail>,
  exportMarkdown: () => call(() => Chase.ExportMarkdown()),
  exportCSV: () => call(() => Chase.ExportCSV()),
  suggestStateMove: (contactId: string) => call(() => Chase.SuggestStateMove(contactId)) as Promise<Suggestion[]>,
  applyStateMove: (jobId: string, code: string) => call(() => Chase.ApplyStateMove(jobId, code)),
  syncNow: () => call(() => Chase.SyncNow()),
  copy: copyText,
}

// ---- pure helpers (unit-tested in chaseApi.test.ts) ----

/** The time a Go value stands for, or null for Go's zero time / nothing. */
export function toDate(t: GoTime | null | undefined): Date | null {
  if (!t || t.startsWith('0001-01-01')) return null
  const d = new Date(t)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "3 Mar 2026", or "" for none. Dates are calendar days (UTC). */
export function fmtDate(t: GoTime | null | undefined): string {
  const d = toDate(t)
  return d ? d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : ''
}

/** YYYY-MM-DD of today (UTC, as the backend counts days). */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export function isOverdue(r: ChaseRow, now = new Date()): boolean {
  const d = toDate(r.dueDate)
  return !!d && d.toISOString().slice(0, 10) < today(now)
}

export type SortKey = 'client' | 'job' | 'state' | 'due' | 'waiting' | 'contact' | 'docs' | 'chased'

export interface RowFilter {
  text: string
  state: string
  overdueOnly: boolean
  noDocsOnly: boolean
}

export const emptyFilter = (): RowFilter => ({ text: '', state: '', overdueOnly: false, noDocsOnly: false })

export function filterRows(rows: ChaseRow[], f: RowFilter, now = new Date()): ChaseRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean)
  return rows.filter((r) => {
    if (f.state && r.state.toLowerCase() !== f.state.toLowerCase()) return false
    if (f.overdueOnly && !isOverdue(r, now)) return false
    if (f.noDocsOnly && r.docsSince > 0) return false
    if (words.length) {
      const hay = [r.clientName, r.contactName, r.jobId, r.jobName, r.state, r.email, r.phone].join('\u0000').toLowerCase()
      if (!words.every((w) => hay.includes(w))) return false
    }
    return true
  })
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
const time = (t: GoTime) => toDate(t)?.getTime() ?? null

/**
 * Sorts a copy of rows by key. Ascending means: names A–Z, earliest due date
 * first, longest waiting first, never-chased first, most documents first;
 * rows without a value go last either way. Ties go by client, then job.
 */
export function sortRows(rows: ChaseRow[], key: SortKey, desc = false): ChaseRow[] {
  const dir = desc ? -1 : 1
  const byTime = (a: GoTime, b: GoTime, emptyFirst: boolean) => {
    const x = time(a), y = time(b)
    if (x === null || y === null) {
      if (x === y) return 0
      // "never chased" leads when ascending; an undated job trails either way
      return emptyFirst ? (x === null ? -dir : dir) : x === null ? 1 : -1
    }
    return (x - y) * dir
  }
  const cmp = (a: ChaseRow, b: ChaseRow): number => {
    switch (key) {
      case 'job': return collator.compare(a.jobId ?? '', b.jobId ?? '') * dir
      case 'state': return collator.compare(a.state, b.state) * dir
      case 'due': return byTime(a.dueDate, b.dueDate, false)
      case 'waiting': return (b.daysWaiting - a.daysWaiting) * dir
      case 'contact': return collator.compare(a.email ?? '', b.email ?? '') * dir
      case 'docs': return (b.docsSince - a.docsSince) * dir
      case 'chased': return byTime(a.lastChased, b.lastChased, true)
      default: return collator.compare(a.clientName, b.clientName) * dir
    }
  }
  return [...rows].sort(
    (a, b) => cmp(a, b) || collator.compare(a.clientName, b.clientName) || collator.compare(a.jobId ?? '', b.jobId ?? ''),
  )
}

export interface Counts {
  rows: number
  clients: number
  overdue: number
  noDocs: number
}

export function countRows(rows: ChaseRow[], now = new Date()): Counts {
  return {
    rows: rows.length,
    clients: new Set(rows.map((r) => r.clientKey)).size,
    overdue: rows.filter((r) => isOverdue(r, now)).length,
    noDocs: rows.filter((r) => r.docsSince === 0).length,
  }
}

/** The distinct states on the list, in first-seen order, for the state filter. */
export function statesOf(rows: ChaseRow[]): string[] {
  return [...new Set(rows.map((r) => r.state))]
}

/** The text "Copy chase email" puts on the clipboard. */
export function emailText(e: ChaseEmail): string {
  const head = e.to ? `To: ${e.to}\n` : ''
  return `${head}Subject: ${e.subject}\n\n${e.body.trimEnd()}\n`
}

/** A mailto: link that opens the user's mail program with the email filled in. */
export function mailtoHref(e: ChaseEmail): string {
  return `mailto:${encodeURIComponent(e.to)}?subject=${encodeURIComponent(e.subject)}&body=${encodeURIComponent(e.body)}`
}

/** Confidence 0–1 as a percentage for people. */
export function pct(c: number): string {
  return `${Math.round(c * 100)}%`
}

export const linkStatusLabel: Record<string, string> = {
  ambiguous: 'Needs a decision',
  unmatched: 'No match',
  broken: 'Not linked',
  auto: 'Suggested',
  confirmed: 'Confirmed',
}

export const methodLabel: Record<string, string> = {
  code: 'same code',
  email: 'same email',
  name: 'same name',
  manual: 'chosen by you',
}
