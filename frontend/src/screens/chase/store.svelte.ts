// The chase list kept for the whole session: read from Go on the first visit,
// then refreshed in the background when an event says it may have changed, so
// going back to the Chase list never waits for the whole list again. While a
// refresh runs the old rows stay on screen and every click still works.
import { onEvent, type ApiError } from '../../lib/api'
import { chaseApi, type ChaseRow, type ChaseStatus, type EmailTemplate } from '../../lib/chaseApi'
import { Ev } from '../../lib/events'
import { showToast } from '../../lib/toasts.svelte'
import { defaultTemplate } from './emailTemplate'

class ChaseStore {
  status = $state<ChaseStatus | null>(null)
  /** raw: thousands of rows are replaced whole, never edited in place, so no deep proxy */
  rows = $state.raw<ChaseRow[]>([])
  /** nothing read yet (the first read shows a skeleton, not a blocking message) */
  loading = $state(true)
  /** a background refresh runs (old rows stay) */
  refreshing = $state(false)
  error = $state<ApiError | null>(null)
  syncing = $state(false)
  /** bumped after each successful read */
  version = $state(0)
  /** ms the last read of the list took, for the e2e figures */
  readMs = $state(0)
  /** only the first rows are here yet; the whole list is on its way */
  partial = $state(false)
  /** the Go side's version of the list held here (chase:changed carries the new one) */
  listVersion = -1
}

export const chase = new ChaseStore()

/** rows shown first on the first visit (a screenful and a half) */
const FIRST = 60

let started = false
let inflight: Promise<void> | null = null
let again = false

/** Reads status and list; concurrent calls share one read, and a call during a read asks for one more. */
export function refresh(): Promise<void> {
  if (inflight) {
    again = true
    return inflight
  }
  chase.refreshing = true
  const t0 = performance.now()
  inflight = (async () => {
    try {
      let done = false
      // The first visit: the first rows as soon as the Go side has them, before the rest and the status
      // (asked first: the status is the slowest of the three).
      if (chase.loading) {
        chaseApi.listFirst(FIRST).then((p) => {
          if (done || !p.rows.length) return
          chase.rows = p.rows
          chase.partial = p.total > p.rows.length
          chase.loading = false
        }, () => {})
      }
      const whole = chaseApi.list()
      const status = chaseApi.status().then((st) => (chase.status = st))
      // If the list fails first, the status's own failure is already told by the list's.
      status.catch(() => {})
      const l = await whole
      done = true
      chase.rows = l.rows
      chase.partial = false
      await status
      chase.listVersion = (l as { version?: number }).version ?? -1
      chase.error = null
      chase.readMs = Math.round(performance.now() - t0)
      chase.version++
    } catch (e) {
      chase.error = e as ApiError
    } finally {
      chase.loading = false
      chase.refreshing = false
      inflight = null
    }
    if (again) {
      again = false
      await refresh()
    }
  })()
  return inflight
}

/** Starts the store once: the first read and the events that keep it fresh. */
export function ensureChase(): void {
  if (started) return
  started = true
  refresh()
  onEvent<{ phase: string; error?: string }>(Ev.PracticeSync, (e) => {
    chase.syncing = e.phase === 'started'
    if (e.phase !== 'started') refresh()
    if (e.phase === 'failed' && e.error) showToast('warning', 'Practice Manager could not be read. The list shows what was last read.')
  })
  for (const ev of [Ev.SyncDone, Ev.UploadDone, Ev.ChaseFiles, Ev.ModeChanged]) onEvent(ev, () => refresh())
  // The Go side says which version of the list it now has: nothing to read when it is the one shown.
  onEvent<{ version?: number } | undefined>(Ev.ChaseChanged, (e) => {
    if (e?.version === undefined || e.version !== chase.listVersion) refresh()
  })
}

/** Forgets everything (unit tests). */
export function resetChase(): void {
  started = false
  templatesRead = null
  Object.assign(templates, { loaded: false, default: { ...defaultTemplate }, byState: {} })
  inflight = null
  again = false
  chase.status = null
  chase.rows = []
  chase.loading = true
  chase.refreshing = false
  chase.error = null
  chase.syncing = false
  chase.version = 0
  chase.readMs = 0
  chase.listVersion = -1
  chase.partial = false
}

// ---- chase email templates: read once, kept here so the email opens at once ----

export const templates = $state({
  loaded: false,
  default: { ...defaultTemplate } as EmailTemplate,
  byState: {} as Record<string, EmailTemplate>,
})
let templatesRead: Promise<void> | null = null

/** Reads the saved templates once (a Go side without them: the standard email). */
export function loadTemplates(): Promise<void> {
  templatesRead ??= (async () => {
    try {
      const t = await chaseApi.emailTemplates()
      templates.default = t.default?.body ? t.default : { ...defaultTemplate }
      templates.byState = t.byState ?? {}
    } catch {
      templates.default = { ...defaultTemplate }
    } finally {
      templates.loaded = true
    }
  })()
  return templatesRead
}

/** Saves the template for state ("" = the default for every state). */
export async function saveTemplate(state: string, t: EmailTemplate): Promise<void> {
  await chaseApi.saveEmailTemplateFor(state, t)
  if (state) templates.byState = { ...templates.byState, [state]: { ...t } }
  else templates.default = { ...t }
}
