// An in-memory RemindService (app/remind_service.go) for unit tests,
// installed next to whatever window.go.app already holds. It keeps the rules
// the screens rely on: only a "due" reminder can be sent, edited, skipped or
// snoozed; a sent one gets a Message-ID and lands in the demo outbox.
import { vi } from 'vitest'
import type { CheckItem, ClientReminders, Item, MailSettings, MailSetup, Next, OutboxMessage, Plan, Proposal } from '../lib/remindApi'
import { goError } from './fakeBackend'

const ZERO = '0001-01-01T00:00:00Z'

export const fakePlan = (over: Partial<Plan> = {}): Plan => ({
  id: 'awaiting information', name: 'Awaiting Information', enabled: true, automatic: false, everyDays: 5, maxReminders: 3,
  steps: [
    { subject: 'Documents needed for {client name}', body: 'Hi {client first name},\n{documents needed}\n{practice name}\n' },
    { subject: 'Reminder: documents for {client name}', body: 'Hi {client first name}, a reminder:\n{documents needed}\n' },
  ],
  quietDays: [0, 6], sendFrom: 9, sendUntil: 17, stopWhen: 'all_ticked', defaultDocs: ['Bank statements'], ...over,
})

export const fakeItem = (over: Partial<Item> = {}): Item => ({
  id: 1, clientKey: 'c1', clientName: 'Cedar Cafe', contactId: 'ct-1', planId: 'awaiting information', step: 0, jobIds: ['J000001'],
  due: '2026-12-04', status: 'due', automatic: false, to: 'mia@cedar.nz', subject: 'Documents needed for Cedar Cafe',
  body: 'Hi Mia,\n- Bank statements\nDemo Practice\n', outstanding: ['Bank statements'], messageId: '', sentAt: ZERO,
  attempts: 0, retryAt: ZERO, error: '', errorCode: '', reason: '', ...over,
})

export interface RemindInit {
  plans?: Plan[]
  due?: Item[]
  week?: Item[]
  proposals?: Proposal[]
  next?: Next[]
  setup?: Partial<MailSetup>
  checklists?: Record<string, CheckItem[]>
  history?: Item[] | null // null: a Go side without History
  client?: Partial<ClientReminders>
}

export function installFakeRemind(init: RemindInit = {}) {
  const st = {
    plans: init.plans ?? [fakePlan(), fakePlan({ id: 'manual', name: 'Clients marked by hand', defaultDocs: [] })],
    due: init.due ?? [fakeItem()],
    proposals: init.proposals ?? [],
    outbox: [] as OutboxMessage[],
    settings: { host: '', port: 587, security: 'starttls', username: '', fromName: '', fromAddress: '', replyTo: '', ...(init.setup?.settings ?? {}) } as MailSettings,
    password: '',
    setup: { passwordSaved: false, demo: false, thisComputerSends: true, ready: false, ...init.setup },
    checklists: init.checklists ?? {},
    controls: { paused: '', optedOut: false, stopped: false, ...init.client },
    msg: 0,
  }
  const setup = (): MailSetup => ({ ...st.setup, settings: { ...st.settings } } as MailSetup)
  const find = (id: number) => {
    const it = st.due.find((x) => x.id === id)
    if (!it) throw goError('not_found', 'That reminder no longer exists.')
    return it
  }
  const mustBeDue = (it: Item) => {
    if (it.status !== 'due' && it.status !== 'failed') throw goError('not_due', 'That reminder is no longer waiting: it has been sent, skipped or stopped meanwhile. The list is now up to date.')
  }
  const send = (it: Item): Item => {
    mustBeDue(it)
    if (!it.to) {
      Object.assign(it, { status: 'failed', errorCode: 'no_email', error: 'The client has no email address. Add one to the client in Xero (or XPM) and sync, then send it again.' })
      return { ...it }
    }
    st.msg++
    Object.assign(it, { status: 'sent', messageId: `m${st.msg}@chase.md`, sentAt: '2026-12-04T09:15:00Z', error: '', errorCode: '' })
    if (st.setup.demo) st.outbox.unshift({ id: st.msg, at: it.sentAt, messageId: it.messageId, from: 'Demo Practice <office@demo.example>', replyTo: '', to: it.to, subject: it.subject, text: it.body, html: '' })
    return { ...it }
  }
  const checklist = (jobId: string) => (st.checklists[jobId] ??= [])
  const RemindService = {
    Plans: vi.fn(async () => st.plans.map((p) => structuredClone(p))),
    SavePlan: vi.fn(async (p: Plan) => {
      if (p.everyDays < 1 || p.everyDays > 60) throw goError('invalid_input', 'A reminder every 1 to 60 business days.')
      st.plans = st.plans.map((x) => (x.id === p.id ? structuredClone(p) : x))
      return structuredClone(p)
    }),
    DueToday: vi.fn(async () => st.due.map((x) => ({ ...x }))),
    Send: vi.fn(async (id: number) => send(find(id))),
    SendAll: vi.fn(async (ids: number[]) => ids.map((id) => send(find(id)))),
    Edit: vi.fn(async (id: number, subject: string, body: string) => {
      const it = find(id)
      mustBeDue(it)
      Object.assign(it, { subject, body })
      return { ...it }
    }),
    Skip: vi.fn(async (id: number) => {
      const it = find(id)
      mustBeDue(it)
      Object.assign(it, { status: 'skipped', reason: 'skipped by a person' })
      return { ...it }
    }),
    Snooze: vi.fn(async (id: number, days: number) => {
      const it = find(id)
      mustBeDue(it)
      Object.assign(it, { status: 'snoozed', reason: `snoozed for ${days} business days` })
      return { ...it }
    }),
    ResolveUnsure: vi.fn(async (id: number, wasSent: boolean) => {
      const it = find(id)
      Object.assign(it, { status: wasSent ? 'sent' : 'due' })
      return { ...it }
    }),
    DryRun: vi.fn(async (_days: number) => (init.week ?? []).map((x) => ({ ...x }))),
    Next: vi.fn(async () => init.next ?? []),
    Client: vi.fn(async (clientKey: string) => ({
      clientKey, paused: st.controls.paused, optedOut: st.controls.optedOut, stopped: st.controls.stopped,
      next: init.client?.next ?? { clientKey, date: '2026-12-09', step: 1, planId: 'awaiting information', paused: '', optedOut: false, stopped: false, note: '' },
      history: st.due.filter((x) => x.clientKey === clientKey && x.status !== 'due'),
    })),
    Pause: vi.fn(async (_k: string, until: string) => { st.controls.paused = until }),
    OptOut: vi.fn(async (_k: string, out: boolean) => { st.controls.optedOut = out }),
    Stop: vi.fn(async (_k: string, stopped: boolean) => { st.controls.stopped = stopped }),
    Checklist: vi.fn(async (jobId: string) => checklist(jobId).map((c) => ({ ...c }))),
    Tick: vi.fn(async (jobId: string, doc: string, done: boolean) => {
      for (const c of checklist(jobId)) if (c.doc === doc) Object.assign(c, { done, doneBy: done ? 'Ann' : '', doneAt: done ? '2026-12-04T10:00:00Z' : ZERO })
      return checklist(jobId).map((c) => ({ ...c }))
    }),
    Proposals: vi.fn(async () => st.proposals.map((p) => ({ ...p }))),
    ConfirmProposal: vi.fn(async (jobId: string, docs: string[]) => {
      for (const c of checklist(jobId)) if (docs.includes(c.doc)) c.done = true
      st.proposals = st.proposals.filter((p) => p.jobId !== jobId)
      return checklist(jobId).map((c) => ({ ...c }))
    }),
    DismissProposal: vi.fn(async (jobId: string) => { st.proposals = st.proposals.filter((p) => p.jobId !== jobId) }),
    MailSetup: vi.fn(async () => setup()),
    SaveMailSettings: vi.fn(async (s: MailSettings, password: string) => {
      st.settings = { ...s }
      if (password) { st.password = password; st.setup.passwordSaved = true }
      st.setup.ready = !!(s.host && s.fromAddress && st.setup.passwordSaved)
      return setup()
    }),
    SetThisComputerSends: vi.fn(async (on: boolean) => { st.setup.thisComputerSends = on; return setup() }),
    SendTest: vi.fn(async () => {
      if (st.setup.demo) return 'A test email went to the demo outbox (Reminders › Outbox).'
      if (st.password === 'wrong') throw goError('mail_login', `${st.settings.host} refused the login: check the user name and password.`)
      return `A test email went to ${st.settings.fromAddress}. Look for “chase.md test” in that mailbox.`
    }),
    Outbox: vi.fn(async (_limit: number) => st.outbox.map((m) => ({ ...m }))),
    ...(init.history === null ? {} : { History: vi.fn(async (_limit: number, _offset: number) => (init.history ?? st.due.filter((x) => x.status !== 'due')).map((x) => ({ ...x }))) }),
  }
  const w = window as unknown as { go?: { app?: Record<string, unknown> } }
  w.go = { ...(w.go ?? {}), app: { ...(w.go?.app ?? {}), RemindService } }
  return { state: st, RemindService }
}
