// The reminders kept for the session: today's queue, files that arrived
// (proposals), the mailbox's readiness and each chase-list client's next
// reminder. Read on the first visit, then again whenever the Go side says
// they changed (remind:changed), so every screen showing them agrees.
import { onEvent, type ApiError } from '../../lib/api'
import { Ev } from '../../lib/events'
import { remindApi, type Item, type MailSetup, type Next, type Proposal } from '../../lib/remindApi'

class RemindStore {
  due = $state<Item[]>([])
  proposals = $state<Proposal[]>([])
  setup = $state<MailSetup | null>(null)
  /** next reminder per client key (the chase list's column) */
  next = $state.raw<Map<string, Next>>(new Map())
  loaded = $state(false)
  error = $state<ApiError | null>(null)
  /** bumped on every remind:changed, for screens that read more (week, outbox, history) */
  version = $state(0)
}

export const reminders = new RemindStore()

let started = false
let inflight: Promise<void> | null = null
let again = false

/** Reads the queue, proposals and mailbox; concurrent calls share one read. */
export function refreshReminders(): Promise<void> {
  if (inflight) {
    again = true
    return inflight
  }
  inflight = (async () => {
    try {
      const [due, proposals, setup] = await Promise.all([remindApi.dueToday(), remindApi.proposals().catch(() => [] as Proposal[]), remindApi.mailSetup().catch(() => null)])
      reminders.due = due
      reminders.proposals = proposals
      if (setup) reminders.setup = setup
      reminders.error = null
    } catch (e) {
      reminders.error = e as ApiError
    } finally {
      reminders.loaded = true
      inflight = null
    }
    if (again) {
      again = false
      await refreshReminders()
    }
  })()
  return inflight
}

/** Reads the next reminder per client (the chase list asks for it; a Go side without it leaves the column empty). */
export async function refreshNext(): Promise<void> {
  try {
    reminders.next = new Map((await remindApi.next()).map((n) => [n.clientKey, n]))
  } catch {
    reminders.next = new Map()
  }
}

let nextWanted = false

/** Starts the store once: the first read and the events that keep it fresh. */
export function ensureReminders(opts: { next?: boolean; queue?: boolean } = { queue: true }): void {
  if (opts.next && !nextWanted) {
    nextWanted = true
    refreshNext()
  }
  if (opts.queue !== false && !reminders.loaded && !inflight) refreshReminders()
  if (started) return
  started = true
  const changed = () => {
    reminders.version++
    if (reminders.loaded) refreshReminders()
    if (nextWanted) refreshNext()
  }
  onEvent(Ev.RemindChanged, changed)
  onEvent(Ev.ModeChanged, changed)
  // A new chase list (jobs moved, clients marked) can change who is next.
  onEvent(Ev.ChaseChanged, () => { if (nextWanted) refreshNext() })
}

/** Forgets everything (unit tests). */
export function resetReminders(): void {
  started = false
  nextWanted = false
  inflight = null
  again = false
  reminders.due = []
  reminders.proposals = []
  reminders.setup = null
  reminders.next = new Map()
  reminders.loaded = false
  reminders.error = null
  reminders.version = 0
}

/** Puts one changed item in place (the answer to Send, Skip, Snooze…) without a whole read. */
export function putItem(it: Item): void {
  const i = reminders.due.findIndex((x) => x.id === it.id)
  if (i >= 0) reminders.due[i] = it
  else reminders.due.push(it)
}
