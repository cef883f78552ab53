// Automated chasing (issue 12): the RemindService bindings (app/remind_service.go)
// and the pure helpers its screens use — words for each reminder's status and
// step, plan summaries and checks, days and hours. Only this module, api.ts and
// chaseApi.ts import wailsjs/.
import * as Remind from '../../wailsjs/go/app/RemindService'
import type { mail, remind } from '../../wailsjs/go/models'
import { call } from './api'
import { boundIn } from './chaseApi'

/** A calendar day, "YYYY-MM-DD" ("" = none). */
export type Day = string

/** The email of one step of a plan: [0] the first request, [i] reminder i. */
export interface Step {
  subject: string
  body: string
}

export interface Plan {
  id: string
  name: string
  enabled: boolean
  automatic: boolean
  everyDays: number
  maxReminders: number
  steps: Step[]
  /** weekdays never sent on, 0 = Sunday … 6 = Saturday */
  quietDays: number[]
  sendFrom: number
  sendUntil: number
  stopWhen: 'all_ticked' | 'any_file' | string
  defaultDocs: string[]
}

export type ItemStatus = 'due' | 'sending' | 'sent' | 'failed' | 'retry' | 'skipped' | 'snoozed' | 'stopped' | 'unsure'

export interface Item {
  id: number
  clientKey: string
  clientName: string
  contactId: string
  planId: string
  step: number
  jobIds: string[]
  /** optional: the jobs' names, when the Go side sends them */
  jobNames?: string[]
  due: Day
  status: ItemStatus | string
  automatic: boolean
  to: string
  subject: string
  body: string
  outstanding: string[]
  messageId: string
  sentAt: string
  attempts: number
  retryAt: string
  error: string
  errorCode: string
  reason: string
}

export interface Next {
  clientKey: string
  date: Day
  step: number
  planId: string
  paused: Day
  optedOut: boolean
  stopped: boolean
  note: string
}

export interface CheckItem {
  doc: string
  done: boolean
  doneAt: string
  doneBy: string
}

export interface Proposal {
  clientKey: string
  clientName: string
  jobId: string
  jobName: string
  outstanding: string[]
  files: number
  since: string
  source: 'chase.md' | 'xero' | string
}

export interface ClientReminders {
  clientKey: string
  paused: Day
  optedOut: boolean
  stopped: boolean
  next: Next
  history: Item[]
}

export interface MailSettings {
  host: string
  port: number
  security: 'starttls' | 'tls' | string
  username: string
  fromName: string
  fromAddress: string
  replyTo: string
}

export interface MailSetup {
  settings: MailSettings
  passwordSaved: boolean
  demo: boolean
  thisComputerSends: boolean
  ready: boolean
}

export interface OutboxMessage {
  id: number
  at: string
  messageId: string
  from: string
  replyTo: string
  to: string
  subject: string
  text: string
  html: string
}

const arr = <T>(p: Promise<T[] | null | undefined>) => p.then((v) => v ?? [])

export const remindApi = {
  plans: () => arr(call(() => Remind.Plans()) as Promise<Plan[]>),
  savePlan: (p: Plan) => call(() => Remind.SavePlan(p as unknown as remind.Plan)) as Promise<Plan>,
  dueToday: () => arr(call(() => Remind.DueToday()) as unknown as Promise<Item[]>),
  send: (id: number) => call(() => Remind.Send(id)) as unknown as Promise<Item>,
  sendAll: (ids: number[]) => arr(call(() => Remind.SendAll(ids)) as unknown as Promise<Item[]>),
  edit: (id: number, subject: string, body: string) => call(() => Remind.Edit(id, subject, body)) as unknown as Promise<Item>,
  skip: (id: number) => call(() => Remind.Skip(id)) as unknown as Promise<Item>,
  snooze: (id: number, days: number) => call(() => Remind.Snooze(id, days)) as unknown as Promise<Item>,
  resolveUnsure: (id: number, wasSent: boolean) => call(() => Remind.ResolveUnsure(id, wasSent)) as unknown as Promise<Item>,
  dryRun: (days = 7) => arr(call(() => Remind.DryRun(days)) as unknown as Promise<Item[]>),
  next: () => arr(call(() => Remind.Next()) as Promise<Next[]>),
  /** Reminders no longer due, newest first (a Go side without History: rejected as 'unsupported'). */
  history: (limit: number, offset = 0) => arr(boundIn<Item[] | null>('RemindService', 'History', [limit, offset])),
  client: (clientKey: string) => call(() => Remind.Client(clientKey)) as unknown as Promise<ClientReminders>,
  pause: (clientKey: string, until: Day) => call(() => Remind.Pause(clientKey, until)),
  optOut: (clientKey: string, out: boolean) => call(() => Remind.OptOut(clientKey, out)),
  stop: (clientKey: string, stopped: boolean) => call(() => Remind.Stop(clientKey, stopped)),
  checklist: (jobId: string) => arr(call(() => Remind.Checklist(jobId)) as unknown as Promise<CheckItem[]>),
  tick: (jobId: string, doc: string, done: boolean) => arr(call(() => Remind.Tick(jobId, doc, done)) as unknown as Promise<CheckItem[]>),
  proposals: () => arr(call(() => Remind.Proposals()) as Promise<Proposal[]>),
  confirmProposal: (jobId: string, docs: string[]) => arr(call(() => Remind.ConfirmProposal(jobId, docs)) as unknown as Promise<CheckItem[]>),
  dismissProposal: (jobId: string) => call(() => Remind.DismissProposal(jobId)),
  mailSetup: () => call(() => Remind.MailSetup()) as Promise<MailSetup>,
  saveMailSettings: (s: MailSettings, password: string) =>
    call(() => Remind.SaveMailSettings(s as mail.Settings, password)) as Promise<MailSetup>,
  setThisComputerSends: (on: boolean) => call(() => Remind.SetThisComputerSends(on)) as Promise<MailSetup>,
  sendTest: () => call(() => Remind.SendTest()),
  outbox: (limit = 100) => arr(call(() => Remind.Outbox(limit)) as Promise<OutboxMessage[]>),
}

// ---- pure helpers (unit-tested in remindApi.test.ts) ----

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger'

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`

/** Words and colour for a reminder's status. */
export function statusLook(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'due': return { label: 'Ready to send', tone: 'info' }
    case 'sending': return { label: 'Sending…', tone: 'info' }
    case 'sent': return { label: 'Sent', tone: 'success' }
    case 'failed': return { label: 'Not sent', tone: 'danger' }
    case 'retry': return { label: 'Will try again', tone: 'warning' }
    case 'skipped': return { label: 'Skipped', tone: 'neutral' }
    case 'snoozed': return { label: 'Snoozed', tone: 'neutral' }
    case 'stopped': return { label: 'Stopped', tone: 'neutral' }
    case 'unsure': return { label: 'Check Sent items', tone: 'warning' }
    default: return { label: status, tone: 'neutral' }
  }
}

/** "First request", "Reminder 2", "Reminder 2 of 3" when the plan's limit is known. */
export function stepLabel(step: number, maxReminders?: number): string {
  if (step <= 0) return 'First request'
  return maxReminders && maxReminders > 0 ? `Reminder ${step} of ${maxReminders}` : `Reminder ${step}`
}

/** The wording a plan uses at step i: its own, or the last written one (the last repeats). */
export function stepFor(p: Pick<Plan, 'steps'>, i: number): Step {
  const s = p.steps ?? []
  if (!s.length) return { subject: '', body: '' }
  return s[Math.min(Math.max(i, 0), s.length - 1)]
}

const weekdayShort = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
/** Monday first, as a week reads at work. */
export const weekOrder = [1, 2, 3, 4, 5, 6, 0]

function parseDay(d: Day): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d ?? '')
  if (!m) return null
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
}

const dayFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
const dayShortFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** "Mon 7 Dec" for a calendar day, "" for none. */
export function fmtDay(d: Day): string {
  const x = parseDay(d)
  return x ? dayFmt.format(x) : ''
}

/** "7 Dec" for a calendar day, "" for none. */
export function fmtDayShort(d: Day): string {
  const x = parseDay(d)
  return x ? dayShortFmt.format(x) : ''
}

/** Today as the local calendar day "YYYY-MM-DD" (reminders go by the practice's own days). */
export function localDay(now = new Date()): Day {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/** "Today", "Tomorrow", or "Mon 7 Dec". */
export function relDay(d: Day, today: Day = localDay()): string {
  const a = parseDay(d), t = parseDay(today)
  if (!a || !t) return ''
  const diff = Math.round((a.getTime() - t.getTime()) / 86_400_000)
  if (diff === 0) return 'Today'
  if (diff === 1) return 'Tomorrow'
  return fmtDay(d)
}

/** "9:00" for an hour of the day (24 = midnight at the day's end). */
export function hourLabel(h: number): string {
  return h >= 24 ? 'midnight' : `${h}:00`
}

/** "Saturday and Sunday", "no days", "Friday, Saturday and Sunday". */
export function quietWords(days: number[]): string {
  const ds = weekOrder.filter((d) => days.includes(d)).map((d) => weekdayNames[d])
  if (!ds.length) return 'no days'
  return ds.length === 1 ? ds[0] : `${ds.slice(0, -1).join(', ')} and ${ds[ds.length - 1]}`
}

/** The days a plan sends on, "Mon–Fri" when they run together. */
export function sendDaysWords(quiet: number[]): string {
  const on = weekOrder.filter((d) => !quiet.includes(d))
  if (!on.length) return 'never'
  if (on.length === 7) return 'every day'
  const idx = on.map((d) => weekOrder.indexOf(d))
  const run = idx.every((v, i) => i === 0 || v === idx[i - 1] + 1)
  if (run && on.length > 2) return `${weekdayShort[on[0]]}–${weekdayShort[on[on.length - 1]]}`
  return on.map((d) => weekdayShort[d]).join(', ')
}

/** One line saying what a plan does, for the plans list. */
export function planSummary(p: Plan): string {
  if (!p.enabled) return 'Off: no emails are sent for these clients.'
  const cadence = p.maxReminders > 0
    ? `First request, then a reminder every ${plural(p.everyDays, 'business day')}, up to ${plural(p.maxReminders, 'reminder')}`
    : 'First request only, no reminders'
  const who = p.automatic ? 'sent automatically' : 'waiting in Due today for you to send'
  return `${cadence}; ${who}; ${sendDaysWords(p.quietDays)} ${hourLabel(p.sendFrom)}–${hourLabel(p.sendUntil)}.`
}

/** What is wrong with a plan, by field, in words; {} when it can be saved. The Go side checks the same. */
export function checkPlan(p: Plan): Partial<Record<'everyDays' | 'maxReminders' | 'hours' | 'steps' | 'days', string>> {
  const e: ReturnType<typeof checkPlan> = {}
  if (!Number.isInteger(p.everyDays) || p.everyDays < 1 || p.everyDays > 60) e.everyDays = 'Choose between 1 and 60 business days.'
  if (!Number.isInteger(p.maxReminders) || p.maxReminders < 0 || p.maxReminders > 10) e.maxReminders = 'Choose between 0 and 10 reminders.'
  if (!(p.sendFrom >= 0 && p.sendUntil <= 24 && p.sendFrom < p.sendUntil)) e.hours = 'The first hour must come before the last.'
  if (p.quietDays.length >= 7) e.days = 'Leave at least one day to send on.'
  const missing = (p.steps ?? []).findIndex((s) => !s.subject.trim())
  if (!p.steps?.length) e.steps = 'Write the first request.'
  else if (missing >= 0) e.steps = `${stepLabel(missing)} needs a subject.`
  return e
}

/** The wording a new step starts from: a firmer version of the one before. */
export function nextStepDraft(p: Plan): Step {
  const n = p.steps.length // the reminder this step will be
  const firm = n >= 3
  return {
    subject: firm ? 'Final reminder: documents needed for {client name}' : 'Reminder: documents needed for {client name}',
    body: firm
      ? 'Hi {client first name},\n\nWe have asked several times for the documents below and still need them to finish your work on time:\n{documents needed}\n\nPlease send them this week, or call us if something is holding you up.\n\n{practice name}\n'
      : 'Hi {client first name},\n\nA quick reminder: we are still waiting for\n{documents needed}\n\nYou can reply to this email with them attached.\n\nThank you,\n{practice name}\n',
  }
}

/** The chase list's "Next reminder" cell: words and a longer title. */
export function nextLook(n: Next | undefined, today: Day = localDay()): { text: string; title: string; muted: boolean } {
  if (!n) return { text: '—', title: 'No reminder planned', muted: true }
  if (n.optedOut) return { text: 'Opted out', title: 'This client asked not to get reminders', muted: true }
  if (n.stopped) return { text: 'Stopped', title: n.note || 'Chasing was stopped by a person', muted: true }
  if (n.paused && n.paused >= today) return { text: `Paused to ${fmtDayShort(n.paused)}`, title: `Reminders paused until ${fmtDay(n.paused)}`, muted: true }
  if (!n.date) return { text: '—', title: n.note || 'No reminder planned', muted: true }
  const when = relDay(n.date, today)
  return { text: when === 'Today' || when === 'Tomorrow' ? when : fmtDayShort(n.date), title: `${stepLabel(n.step)} ${when === 'Today' || when === 'Tomorrow' ? when.toLowerCase() : `on ${when}`}${n.note ? `. ${n.note}` : ''}`, muted: false }
}

/** Items grouped by their due day, in day order, for the week ahead. */
export function byDay(items: Item[]): { day: Day; items: Item[] }[] {
  const m = new Map<Day, Item[]>()
  for (const it of [...items].sort((a, b) => a.due.localeCompare(b.due) || a.clientName.localeCompare(b.clientName))) {
    m.set(it.due, [...(m.get(it.due) ?? []), it])
  }
  return [...m].map(([day, items]) => ({ day, items }))
}

/** The queue's order: what needs a person first (unsure, failed), then ready, then the rest. */
export function queueOrder(items: Item[]): Item[] {
  const rank: Record<string, number> = { unsure: 0, failed: 1, due: 2, retry: 3, sending: 4 }
  return [...items].sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9) || a.clientName.localeCompare(b.clientName))
}

/** The ids Send all sends: only the ones ready to go. */
export function sendable(items: Item[]): number[] {
  return items.filter((i) => i.status === 'due').map((i) => i.id)
}

/** What Send all achieved, in one sentence. */
export function sendAllWords(out: Item[]): { text: string; kind: 'success' | 'warning' } {
  const sent = out.filter((i) => i.status === 'sent').length
  const stopped = out.filter((i) => i.status === 'stopped').length
  const later = out.filter((i) => i.status === 'retry').length
  const failed = out.filter((i) => i.status === 'failed').length
  const parts = [`${plural(sent, 'reminder')} sent`]
  if (stopped) parts.push(`${stopped} stopped (no longer needed)`)
  if (later) parts.push(`${later} will be tried again`)
  if (failed) parts.push(`${failed} not sent`)
  return { text: parts.join(', ') + '.', kind: failed || later ? 'warning' : 'success' }
}

/** The usual port for each security choice. */
export function portFor(security: string): number {
  return security === 'tls' ? 465 : 587
}

/** Jobs of an item in words: names when the Go side sends them, else their numbers. */
export function jobsWords(it: Pick<Item, 'jobIds' | 'jobNames'>): string {
  const names = (it.jobNames ?? []).filter(Boolean)
  return (names.length ? names : it.jobIds ?? []).join(', ')
}

/**
 * A reminder's Activity entry in parts: the Go side writes its detail as
 * "<Outcome>: <step> to <address>. … Message-ID <…>." and, once sent, the
 * email after a blank line. The badge says the outcome; the email opens on demand.
 */
export function reminderActivity(detail: string): { label: string; tone: Tone; summary: string; email: string } {
  const cut = detail.indexOf('\n\n')
  const summary = (cut >= 0 ? detail.slice(0, cut) : detail).trim()
  const email = cut >= 0 ? detail.slice(cut + 2).trim() : ''
  const outcome = summary.includes(':') ? summary.slice(0, summary.indexOf(':')).toLowerCase() : ''
  const looks: [RegExp, string, Tone][] = [
    [/^sent$/, 'Reminder sent', 'success'],
    [/^found in sent items/, 'Reminder sent', 'success'],
    [/will try again/, 'Reminder will retry', 'warning'],
    [/^not sent$/, 'Reminder not sent', 'danger'],
    [/^may have been sent/, 'Check Sent items', 'warning'],
    [/^stopped$/, 'Reminder stopped', 'neutral'],
    [/^skipped$/, 'Reminder skipped', 'neutral'],
    [/^snoozed$/, 'Reminder snoozed', 'neutral'],
  ]
  const hit = looks.find(([re]) => re.test(outcome))
  return { label: hit?.[1] ?? 'Reminder', tone: hit?.[2] ?? 'neutral', summary, email }
}
