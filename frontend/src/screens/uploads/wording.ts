// How an upload's state is said on screen: plain words, a tone for the badge,
// and the actions that make sense in that state. Pure, so it is unit-tested.
import type { UploadItem, UploadState } from '../../lib/uploadsApi'

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger'
export type Action = 'cancel' | 'retry' | 'force' | 'undo' | 'send'

export interface StateWords {
  /** the badge: one or two words */
  short: string
  /** the whole state in a line, e.g. "Uploading 45%" or "Refused — This file is 12.0 MB; …" */
  label: string
  tone: Tone
  /** a second line under the file: the reason or note, in full */
  detail?: string
  actions: Action[]
  /** 0..1 for a progress bar, null for an indeterminate one, undefined for none */
  progress?: number | null
}

export const UNCHANGED = 'Your file was not moved or changed.'

/** The connection's state as far as an upload needs it (core.ConnState). */
export interface ConnWait {
  kind: string
  until?: string
}

/** HH:MM, local time, as the rest of chase.md says times. */
export function clock(iso: string): string {
  const d = new Date(iso)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/**
 * Describes it, given the bytes sent so far if an upload is in flight, and
 * the connection: a file waiting to be tried again, or in flight while Xero
 * can't be reached, says so and until when instead of a stale "Uploading 100%".
 */
export function describeItem(it: UploadItem, sent?: number, now: Date = new Date(), conn?: ConnWait | null): StateWords {
  const reason = it.reason?.trim() ?? ''
  const live = it.state === 'queued' || it.state === 'uploading' || it.state === 'uploaded' || it.state === 'associating'
  if (live && it.attempts > 0 && it.nextAt && new Date(it.nextAt) > now && reason.startsWith('Retrying')) {
    const why = reason.replace(/^Retrying:\s*/, '')
    return { short: 'Retrying', label: `Xero had a problem — trying again at ${clock(it.nextAt)}, attempt ${it.attempts + 1}`,
      tone: 'warning', actions: ['cancel'], detail: why || undefined }
  }
  if (live && it.nextAt && new Date(it.nextAt) > now && reason) {
    // Held back by Xero's daily limit (or another wait the queue was told of).
    return { short: 'Waiting', label: `Waiting until ${clock(it.nextAt)}`, tone: 'warning', actions: ['cancel'], detail: reason }
  }
  if (live && it.state !== 'queued' && conn?.kind === 'unreachable') {
    return { short: 'Waiting', label: conn.until ? `Waiting for Xero — trying again at ${clock(conn.until)}` : 'Waiting for Xero to answer',
      tone: 'warning', actions: ['cancel'], detail: "chase.md can't reach Xero just now; the file goes as soon as it can." }
  }
  switch (it.state) {
    case 'held': {
      const at = it.heldUntil ? new Date(it.heldUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : ''
      return { short: 'Waiting', label: at ? `Goes to Xero at ${at} unless you undo it` : 'Going to Xero now',
        tone: 'info', actions: ['undo', 'send'], detail: 'Nothing has been sent yet.' }
    }
    case 'queued':
      return { short: 'Queued', label: 'Queued', tone: 'neutral', actions: ['cancel'] }
    case 'uploading': {
      if (sent == null || !(it.size > 0)) return { short: 'Uploading', label: 'Uploading…', tone: 'info', actions: ['cancel'], progress: null }
      const frac = Math.min(1, Math.max(0, sent / it.size))
      const pct = Math.floor(frac * 100)
      return { short: `Uploading ${pct}%`, label: `Uploading ${pct}%`, tone: 'info', actions: ['cancel'], progress: frac }
    }
    case 'uploaded':
    case 'associating':
      return { short: 'Filing', label: 'Filing in Xero…', tone: 'info', actions: ['cancel'], progress: null,
        detail: 'Uploaded; now linking it to the client.' }
    case 'done':
      return { short: 'Filed', label: 'Filed in Xero', tone: 'success', actions: [],
        detail: `In ${it.folder || 'Inbox'} for ${it.contact.name}.` }
    case 'skipped_duplicate': {
      const when = duplicateDate(it.note ?? '', now)
      const label = when ? `Skipped — already uploaded on ${when}` : 'Skipped — already uploaded'
      return { short: 'Skipped', label, tone: 'warning', actions: ['force'], detail: it.note || undefined }
    }
    case 'refused':
      return { short: 'Refused', label: `Refused — ${reason || 'this file cannot be uploaded.'}`, tone: 'danger', actions: [],
        detail: UNCHANGED }
    case 'waiting_reconnect':
      return { short: 'Waiting', label: 'Waiting for you to reconnect', tone: 'warning', actions: ['retry', 'cancel'],
        detail: reason || 'Sign in to Xero again under Settings; the upload continues by itself.' }
    case 'failed':
      return { short: 'Failed', label: `Failed — ${reason || 'Xero did not accept the file.'}`, tone: 'danger', actions: ['retry'] }
    case 'cancelled':
      return { short: 'Cancelled', label: 'Cancelled', tone: 'neutral', actions: ['retry'] }
  }
  return { short: it.state, label: it.state, tone: 'neutral', actions: [] }
}

/** Words on the action buttons. */
export const actionWords: Record<Action, string> = { cancel: 'Cancel', retry: 'Retry', force: 'Upload anyway', undo: 'Undo', send: 'Send now' }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * The day a duplicate was first uploaded, from the queue's note ("Already uploaded
 * to Acme on 3 Nov 2026 14:05 as …"): "3 Nov", with the year if it is not this year.
 */
export function duplicateDate(note: string, now: Date = new Date()): string {
  const m = / on (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) \d{1,2}:\d{2}/.exec(note)
  if (!m || !MONTHS.includes(m[2])) return ''
  return Number(m[3]) === now.getFullYear() ? `${Number(m[1])} ${m[2]}` : `${Number(m[1])} ${m[2]} ${m[3]}`
}

/** Bytes as people read them, matching the Go side's upload.HumanSize. */
export function formatBytes(n: number): string {
  const kb = 1024
  const mb = kb * 1024
  if (n >= mb) return `${(n / mb).toFixed(1)} MB`
  if (n >= kb) return `${Math.round(n / kb)} KB`
  return n === 1 ? '1 byte' : `${n} bytes`
}

/** Activity log outcomes in words. */
export function outcomeWords(o: UploadState): { text: string; tone: Tone } {
  switch (o) {
    case 'done':
      return { text: 'Filed', tone: 'success' }
    case 'skipped_duplicate':
      return { text: 'Skipped (already uploaded)', tone: 'warning' }
    case 'cancelled':
      return { text: 'Cancelled', tone: 'neutral' }
    case 'failed':
      return { text: 'Failed', tone: 'danger' }
    case 'refused':
      return { text: 'Refused', tone: 'danger' }
  }
  return { text: o, tone: 'neutral' }
}

/** Where a file came from, for the activity log's "who" column. */
export function sourceWords(source: string): string {
  switch (source) {
    case 'watch':
      return 'watched folder'
    case 'picker':
      return 'chosen'
    case 'cli':
      return 'command line'
  }
  return 'dropped'
}

/** "3 Nov 2026, 14:05" in the user's time zone. */
export function formatWhen(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d)
}

/** A summary like "3 files" / "1 file". */
export function files(n: number): string {
  return n === 1 ? '1 file' : `${n} files`
}
