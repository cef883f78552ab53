// The Chase list area's bindings (app/chase_service.go) and the pure helpers
// its screens use: sorting, filtering, counting and dates. Only this module
// and api.ts import wailsjs/.
import * as Chase from '../../wailsjs/go/app/ChaseService'
import type { app, chase } from '../../wailsjs/go/models'
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
  /** Ageing from the Go side (issue 11): the figure and the date it counts from. Optional: older backends send neither. */
  ageDays?: number
  ageBasis?: AgeBasis | string
  startDate?: GoTime
  /** the Go side's words for ageDays and basis, e.g. "12 days since start" */
  ageLabel?: string
  /** days past the due date (0 = not overdue) and its words, e.g. "3 days overdue" */
  overdueDays?: number
  dueLabel?: string
  /** The job's short "documents needed" list, carried by the chase email. */
  docsNeeded?: string[]
}

/** Which date a row's ageing counts from: the job's start, its due date (overdue), or when chase.md first saw it waiting. */
export type AgeBasis = 'start' | 'due' | 'waiting' | 'seen' | 'marked'

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
  /** XPM's code for the state, as XPM lists it (never typed) */
  code: string
  codeKnown?: boolean
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
  /** safe to confirm in bulk (shared email, tax or company number…), never a name alone */
  sure?: boolean
  /** what both sides share: "email", "phone", "tax number", "trading name"… */
  keys?: string[]
  reason?: string
  candidates?: Candidate[]
  jobs: number
}

export interface LinkCounts {
  /** suggested links that are sure and not yet confirmed */
  sure?: number
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

/**
 * Calls a ChaseService method the generated bindings may not list yet (issue
 * 11's new methods, added on the Go side in the same branch): the same
 * window.go.app path wailsjs/ uses, and words for people when the Go side has
 * no such method.
 */
export function boundIn<T>(service: string, method: string, args: unknown[]): Promise<T> {
  return call(() => {
    const svc = (window as unknown as { go?: { app?: Record<string, Record<string, (...a: unknown[]) => Promise<T>>> } }).go?.app?.[service]
    const fn = svc?.[method]
    if (typeof fn !== 'function') return Promise.reject(new Error(JSON.stringify({ code: 'unsupported', message: 'This version of chase.md cannot do that yet.' })))
    return fn(...args)
  })
}
const bound = <T>(method: string, ...args: unknown[]) => boundIn<T>('ChaseService', method, args)

/** What the client page shows of the chase list (ClientsService.ChaseInfo). */
export interface ChaseInfo {
  onList: boolean
  marked?: boolean
  clientKey?: string
  lastChased: GoTime
  jobs: { jobId: string; jobName: string; state: string; dueDate?: GoTime; ageLabel?: string; dueLabel?: string }[]
}

export interface EmailTemplate {
  subject: string
  body: string
}

export interface EmailTemplates {
  default: EmailTemplate
  byState: Record<string, EmailTemplate>
}

export const chaseApi = {
  markChasedMany: (keys: string[]) => bound<number>('MarkChasedMany', keys),
  exportSelectionCSV: (keys: string[]) => bound<string>('ExportSelectionCSV', keys),
  setDocsNeeded: (jobId: string, docs: string[]) => bound<string[]>('SetDocsNeeded', jobId, docs),
  emailTemplates: () => bound<EmailTemplates>('EmailTemplates'),
  saveEmailTemplateFor: (state: string, t: EmailTemplate) => bound<void>('SaveEmailTemplate', state, t.subject, t.body),
  confirmLinks: (uuids: string[]) => bound<number>('ConfirmLinks', uuids),
  chaseInfo: (contactId: string) => boundIn<ChaseInfo>('ClientsService', 'ChaseInfo', [contactId]),
  /** Confirms every sure suggestion; answers the client UUIDs it confirmed (what an undo puts back). */
  confirmSureLinks: () => bound<string[] | null>('ConfirmSureLinks'),
  undoLink: (uuid: string) => bound<void>('UndoLink', uuid),
  undoLinks: (uuids: string[]) => bound<LinkCounts>('UndoLinks', uuids),
  /** The first n rows in the Go side's default order (most in need of a nudge first), to show while the whole list comes. */
  listFirst: (n: number) =>
    bound<{ rows: ChaseRow[]; total: number }>('List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false, offset: 0, limit: n }),
  /** Moves a job in XPM to the state named toState; the code sent is the one XPM lists. */
  applyStateMove: (jobId: string, toState: string) => bound<void>('ApplyStateMove', jobId, toState),
  status: () => call(() => Chase.Status()) as Promise<ChaseStatus>,
  list: () =>
    call(() => Chase.List({ sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false, offset: 0, limit: 0 } as app.ChaseQuery)).then(
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
  exportMarkdown: () => call(() => Chase.ExportMarkdown()),
  exportCSV: () => call(() => Chase.ExportCSV()),
  suggestStateMove: (contactId: string) => call(() => Chase.SuggestStateMove(contactId)) as Promise<Suggestion[]>,
  syncNow: () => call(() => Chase.SyncNow()),
  /** Records in the activity log that a chase email was copied to send. */
  emailCopied: (clientKey: string, to: string) => call(() => Chase.EmailCopied(clientKey, to)),
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
// One formatter each: toLocaleDateString with options builds a new one per call (milliseconds × 5,000 rows).
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
const dayMonthOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

export function fmtDate(t: GoTime | null | undefined): string {
  const d = toDate(t)
  return d ? dayMonthYear.format(d) : ''
}

/** YYYY-MM-DD of today (UTC, as the backend counts days). */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export function isOverdue(r: ChaseRow, now = new Date()): boolean {
  const d = toDate(r.dueDate)
  return !!d && d.toISOString().slice(0, 10) < today(now)
}

export type SortKey = 'need' | 'client' | 'job' | 'state' | 'due' | 'waiting' | 'contact' | 'docs' | 'chased'

const DAY = 86_400_000
/** Whole calendar days (UTC) from a to b. */
function daysBetween(a: Date, b: Date): number {
  return Math.round((Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate()) - Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate())) / DAY)
}

export interface Age {
  days: number
  basis: AgeBasis
  /** overdue by due date: the words say so, not only the colour */
  overdue: boolean
  /** one short line for the column, e.g. "Due 3 Dec — 2 days overdue" */
  text: string
  /** the longer explanation on hover */
  title: string
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`
const dayMonth = (d: Date) => dayMonthOnly.format(d)

/**
 * How long a row has waited, and from what. An overdue due date wins (it is
 * what a client most needs nudging about); otherwise the Go side's figure and
 * basis, else the job's start date, else when chase.md first saw it waiting.
 */
export function ageOf(r: ChaseRow, now = new Date()): Age {
  const due = toDate(r.dueDate)
  const overdueDays = due ? daysBetween(due, now) : 0
  const dueNote = due ? `Due ${fmtDate(r.dueDate)}` : 'No due date'
  if (due && overdueDays > 0) {
    // The words that matter first, so a narrow column cuts the date, never "overdue".
    const text = `${plural(overdueDays, 'day')} overdue · due ${dayMonth(due)}`
    return { days: overdueDays, basis: 'due', overdue: true, text, title: `Due ${fmtDate(r.dueDate)}: ${plural(overdueDays, 'day')} overdue. Counted from the job's due date in Practice Manager.` }
  }
  let basis: AgeBasis
  let days: number
  if (r.ageBasis === 'start' || r.ageBasis === 'waiting' || r.ageBasis === 'seen' || r.ageBasis === 'marked') {
    basis = r.ageBasis
    days = Math.max(0, r.ageDays ?? 0)
  } else if (toDate(r.startDate)) {
    basis = 'start'
    days = Math.max(0, daysBetween(toDate(r.startDate)!, now))
  } else {
    // an older Go side: only when chase.md first saw the job waiting
    basis = r.source === 'manual' ? 'marked' : 'waiting'
    const since = toDate(r.waitingSince)
    days = Math.max(0, r.ageDays ?? (since ? daysBetween(since, now) : r.daysWaiting))
  }
  const n = plural(days, 'day')
  const dueToday = due && overdueDays === 0 ? ' · due today' : ''
  const words: Record<string, [string, string]> = {
    start: [`${n} since start`, `${n} since the job started${toDate(r.startDate) ? ` on ${fmtDate(r.startDate)}` : ''}`],
    waiting: [`Waiting ${n}`, `${n} since the job moved into “${r.state}”`],
    seen: [`First seen ${n} ago`, `${n} since chase.md first saw this job waiting (Practice Manager gives it no start date)`],
    marked: [`Marked ${n} ago`, `${n} since the client was marked for chasing`],
  }
  const [short, long] = words[basis]
  const label = r.ageLabel ? r.ageLabel.charAt(0).toUpperCase() + r.ageLabel.slice(1) : short
  return { days, basis, overdue: false, text: label + dueToday, title: `${long}. ${dueNote}.` }
}

/** What byNeed compares, without building the words (sorting 5,000 rows). */
function needKey(r: ChaseRow, now: Date): { overdue: boolean; days: number } {
  const due = toDate(r.dueDate)
  const late = due ? daysBetween(due, now) : 0
  if (late > 0) return { overdue: true, days: late }
  if (r.ageBasis === 'start' || r.ageBasis === 'waiting' || r.ageBasis === 'seen' || r.ageBasis === 'marked') return { overdue: false, days: Math.max(0, r.ageDays ?? 0) }
  return { overdue: false, days: ageOf(r, now).days }
}

/**
 * Orders rows so the clients who most need a nudge come first: overdue jobs
 * (most overdue first), then the longest waiting, then never or least
 * recently chased. Returns a negative number when a comes first.
 */
export function byNeed(a: ChaseRow, b: ChaseRow, now = new Date()): number {
  const x = needKey(a, now), y = needKey(b, now)
  if (x.overdue !== y.overdue) return x.overdue ? -1 : 1
  if (x.days !== y.days) return y.days - x.days
  const ca = time(a.lastChased) ?? -Infinity, cb = time(b.lastChased) ?? -Infinity
  return ca - cb
}

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
 * Sorts a copy of rows by key. Ascending means: most need of a nudge first
 * (byNeed), names A–Z, earliest due date first, longest waiting first,
 * never-chased first, most documents first;
 * rows without a value go last either way. Ties go by client, then job.
 */
export function sortRows(rows: ChaseRow[], key: SortKey, desc = false, now = new Date()): ChaseRow[] {
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
      case 'need': return byNeed(a, b, now) * dir
      case 'contact': return collator.compare(a.email ?? '', b.email ?? '') * dir
      case 'docs': return (b.docsSince - a.docsSince) * dir
      case 'chased': return byTime(a.lastChased, b.lastChased, true)
      default: return collator.compare(a.clientName, b.clientName) * dir
    }
  }
  // byNeed works out each row's age; do that once per row, not per comparison, and without the words.
  if (key === 'need') {
    const ages = new Map(rows.map((r) => [r, needKey(r, now)]))
    const chased = (r: ChaseRow) => time(r.lastChased) ?? -Infinity
    return [...rows].sort((a, b) => {
      const x = ages.get(a)!, y = ages.get(b)!
      const c = x.overdue !== y.overdue ? (x.overdue ? -1 : 1) : x.days !== y.days ? y.days - x.days : chased(a) - chased(b)
      return c * dir || collator.compare(a.clientName, b.clientName) || collator.compare(a.jobId ?? '', b.jobId ?? '')
    })
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
